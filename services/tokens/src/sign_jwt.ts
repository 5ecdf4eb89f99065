/**
 * Signing through the keys service (private keys never leave it). A transport
 * fault on the way is `Unavailable` for our callers.
 */
import { Unavailable, type OAuthError, type SigningAlg } from "@authrim/contracts"
import { Effect } from "effect"
import { TokenStores } from "./token_stores.ts"

/** A JWT claim set; absent claims are left out, never sent as null. Objects: confirmation claims (`cnf`, RFC 7800). */
export type ClaimSet = Record<string, string | number | ReadonlyArray<string> | { readonly [member: string]: string }>

/** Signs `payload` as a compact JWS with the keys service's active key of `alg`. */
export const signJwt = (alg: SigningAlg, typ: string, payload: ClaimSet): Effect.Effect<string, OAuthError | Unavailable, TokenStores> =>
  Effect.gen(function*() {
    const { keys } = yield* TokenStores
    const signed = yield* keys.sign({ alg, typ, payload }).pipe(
      // keys has no required settings today; were it ever misconfigured, our callers see it as keys being unavailable.
      Effect.catchTags({
        RpcFailure: (e) => Effect.fail(new Unavailable({ service: "keys", reason: `${e.method}: ${e.reason}` })),
        Misconfigured: (e) => Effect.fail(new Unavailable({ service: "keys", reason: `configuration error: ${e.setting} ${e.reason}` }))
      })
    )
    return signed.jwt
  })
