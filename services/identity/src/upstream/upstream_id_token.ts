/**
 * ID-token validation (OIDC Core §3.1.3.7) with jose: signature against the
 * upstream's keys with an asymmetric algorithm it advertises, `iss` equal to
 * the discovered issuer, `aud` containing our client id (and `azp` equal to it
 * when there are several audiences), `exp`/`iat` against an injected clock
 * (60 s skew), and the `nonce` this round trip sent (compared by hash).
 * Every failure is one clear `access_denied`; the jose reason is logged.
 */
import { sha256Hex } from "@authrim/platform"
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose"
import { logger } from "@authrim/contracts"

/** Allowed clock difference with the upstream. */
export const ID_TOKEN_CLOCK_SKEW_SECONDS = 60

export interface IdTokenExpectations {
  readonly keys: JWTVerifyGetKey
  readonly issuer: string
  readonly clientId: string
  readonly algorithms: ReadonlyArray<string>
  readonly nonceHash: string
  readonly nowMs: number
}

const rejected = (why: string) =>
  new OAuthError({ code: "access_denied", description: `the identity provider's ID token was rejected: ${why}` })

/** The verified claims of `idToken`. */
export const validateIdToken = Effect.fnUntraced(function*(idToken: string, expect: IdTokenExpectations): Effect.fn.Return<JWTPayload & { sub: string }, OAuthError> {
  if (expect.algorithms.length === 0) return yield* rejected("the provider advertises no acceptable signing algorithm")
  const { payload } = yield* Effect.tryPromise({
    try: () => jwtVerify(idToken, expect.keys, {
      issuer: expect.issuer,
      audience: expect.clientId,
      algorithms: [...expect.algorithms],
      currentDate: new Date(expect.nowMs),
      clockTolerance: ID_TOKEN_CLOCK_SKEW_SECONDS,
      requiredClaims: ["sub", "iat", "exp"]
    }),
    catch: (cause) => cause instanceof Error ? cause.message : String(cause)
  }).pipe(Effect.catch((reason) =>
    logger("identity").warn("upstream ID token rejected", { reason }).pipe(
      Effect.andThen(Effect.fail(rejected("invalid signature, issuer, audience or lifetime"))))))
  const sub = payload.sub
  if (typeof sub !== "string" || sub === "") return yield* rejected("no subject")
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload["azp"] !== expect.clientId) {
    return yield* rejected("authorized party mismatch")
  }
  const nonce = payload["nonce"]
  if (typeof nonce !== "string" || (yield* sha256Hex(nonce)) !== expect.nonceHash) return yield* rejected("nonce mismatch")
  return { ...payload, sub }
})
