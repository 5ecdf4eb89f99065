/**
 * Signing through the keys service (private keys never leave it). A transport
 * fault on the way is `Unavailable` for our callers. A token response signs
 * all its JWS in one call (`signMany`, issue 10).
 */
import { base64url, sha256Bytes } from "@authrim/platform"
import { Unavailable, type Misconfigured, type OAuthError, type RpcFailure, type SigningAlg, type SignRequest } from "@authrim/contracts"
import { Effect } from "effect"
import { TokenStores } from "./token_stores.ts"

/** A JWT claim set; absent claims are left out, never sent as null. Objects: confirmation claims (`cnf`, RFC 7800). */
export type ClaimSet = Record<string, string | number | ReadonlyArray<string> | { readonly [member: string]: string }>

/** Signs `payload` as a compact JWS with the keys service's active key of `alg`. */
export const signJwt = Effect.fnUntraced(function*(alg: SigningAlg, typ: string, payload: ClaimSet): Effect.fn.Return<string, OAuthError | Unavailable, TokenStores> {
  const { keys } = yield* TokenStores
  const signed = yield* keys.sign({ alg, typ, payload }).pipe(keysFailures)
  return signed.jwt
})

// keys has no required settings today; were it ever misconfigured, our callers see it as keys being unavailable.
const keysFailures = <A, R>(effect: Effect.Effect<A, OAuthError | Unavailable | RpcFailure | Misconfigured, R>): Effect.Effect<A, OAuthError | Unavailable, R> =>
  effect.pipe(Effect.catchTags({
    RpcFailure: (e) => Effect.fail(new Unavailable({ service: "keys", reason: `${e.method}: ${e.reason}` })),
    Misconfigured: (e) => Effect.fail(new Unavailable({ service: "keys", reason: `configuration error: ${e.setting} ${e.reason}` }))
  }))

/** One JWS of a batch; `atHashOf`: index of an earlier one whose `at_hash` (OIDC Core §3.1.3.6) this payload gets. */
export interface JwtToSign {
  readonly alg: SigningAlg
  readonly typ: string
  readonly payload: ClaimSet
  readonly atHashOf?: number | undefined
}

/**
 * Signs the batch in order with ONE keys call. A keys service older than
 * `signMany` answers it with a transport failure; then each JWS is signed
 * with `sign` (at_hash computed here), so a new tokens worker works with
 * the keys worker deployed before it.
 */
export const signJwts = Effect.fnUntraced(function*(batch: ReadonlyArray<JwtToSign>): Effect.fn.Return<ReadonlyArray<string>, OAuthError | Unavailable, TokenStores> {
  const { keys } = yield* TokenStores
  const requests: Array<SignRequest> = batch.map((j) => ({
    alg: j.alg, typ: j.typ, payload: j.payload, ...(j.atHashOf === undefined ? {} : { atHashOf: j.atHashOf })
  }))
  return yield* keys.signMany({ requests }).pipe(
    Effect.map(({ signed }) => signed.map((s) => s.jwt)),
    Effect.catchTag("RpcFailure", () => signOneByOne(batch)),
    keysFailures
  )
})

const signOneByOne = Effect.fnUntraced(function*(batch: ReadonlyArray<JwtToSign>): Effect.fn.Return<ReadonlyArray<string>, OAuthError | Unavailable, TokenStores> {
  const jwts: Array<string> = []
  for (const j of batch) {
    const bound = j.atHashOf === undefined ? undefined : jwts[j.atHashOf]
    jwts.push(yield* signJwt(j.alg, j.typ, bound === undefined ? j.payload : { ...j.payload, at_hash: yield* atHash(bound) }))
  }
  return jwts
})

/** OIDC Core §3.1.3.6: left half of the hash of the access token's ASCII, base64url. SHA-256 for RS256 and ES256. */
export const atHash = (accessToken: string): Effect.Effect<string> =>
  sha256Bytes(accessToken).pipe(Effect.map((digest) => base64url(digest.slice(0, digest.length / 2))))
