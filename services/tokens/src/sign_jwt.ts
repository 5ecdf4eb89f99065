/**
 * Signing through the keys service (private keys never leave it), with its
 * typed `signTokens` (contracts/src/keys.ts): tokens says what kind of token
 * it issues and its claims; keys sets the header (`typ` per kind) and checks
 * the claims. A token response signs all its tokens in one call (issue 10).
 * A transport fault on the way is `Unavailable` for our callers; a token the
 * keys service refuses to sign (`SigningRefused`: a claim set this provider
 * must not issue, or an `ISSUER` that differs from the edge's) is a
 * `server_error`, never the client's fault.
 */
import { logger, OAuthError, Unavailable, type Misconfigured, type RpcFailure, type SigningAlg, type SigningRefused, type TokenKind, type TokenToSign } from "@authrim/contracts"
import { Effect } from "effect"
import { TokenStores } from "./token_stores.ts"

/**
 * A JWT claim set; absent claims are left out, never sent as null. Objects: confirmation claims (`cnf`, RFC 7800),
 * logout `events`; any JSON value for the user claims of an OIDC Core §5.5 `claims` request (issue 14).
 */
export type ClaimSet = Readonly<Record<string, unknown>>

const log = logger("tokens")

/** What a keys call may fail with, as our callers see it. */
export const keysFailures = <A, R>(effect: Effect.Effect<A, OAuthError | Unavailable | RpcFailure | Misconfigured | SigningRefused, R>): Effect.Effect<A, OAuthError | Unavailable, R> =>
  effect.pipe(Effect.catchTags({
    RpcFailure: (e) => Effect.fail(new Unavailable({ service: "keys", reason: `${e.method}: ${e.reason}` })),
    // A keys setting missing (ISSUER in production): keys is unavailable to us until it is configured.
    Misconfigured: (e) => Effect.fail(new Unavailable({ service: "keys", reason: `configuration error: ${e.setting} ${e.reason}` })),
    SigningRefused: (e) => log.error("keys refused to sign a token", { kind: e.kind, reason: e.reason }).pipe(
      Effect.andThen(Effect.fail(new OAuthError({ code: "server_error", description: `the ${e.kind} could not be signed` })))
    )
  }))

/** One token of a batch; `atHashOf`: index of an earlier access token whose `at_hash` (OIDC Core §3.1.3.6) this ID token gets. */
export interface JwtToSign {
  readonly kind: TokenKind
  readonly alg: SigningAlg
  readonly claims: ClaimSet
  readonly atHashOf?: number | undefined
}

/** Signs the batch in order with ONE keys call (`signTokens`). */
export const signJwts = Effect.fnUntraced(function*(batch: ReadonlyArray<JwtToSign>): Effect.fn.Return<ReadonlyArray<string>, OAuthError | Unavailable, TokenStores> {
  const { keys } = yield* TokenStores
  const tokens: Array<TokenToSign> = batch.map((j) => ({
    kind: j.kind, alg: j.alg, claims: j.claims, ...(j.atHashOf === undefined ? {} : { atHashOf: j.atHashOf })
  }))
  return yield* keys.signTokens({ tokens }).pipe(Effect.map(({ signed }) => signed.map((s) => s.jwt)), keysFailures)
})

/** Signs one token of `kind` with the keys service's active key of `alg`. */
export const signJwt = (kind: TokenKind, alg: SigningAlg, claims: ClaimSet): Effect.Effect<string, OAuthError | Unavailable, TokenStores> =>
  signJwts([{ kind, alg, claims }]).pipe(Effect.map((jwts) => jwts[0]!))
