/**
 * Verifying our own access tokens (RFC 9068 §4): signature against the keys
 * JWKS, `typ` at+jwt, `iss`, `aud`, `exp`; then the jti denylist. Anything
 * wrong is `invalid_token` (RFC 6750 §3.1) and says no more than needed.
 */
import { OAuthError, type AccessTokenClaims, type Unavailable } from "@authrim/contracts"
import { Clock, Effect, Result, Schema } from "effect"
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from "jose"
import { accessTokenAudience } from "./issue_tokens.ts"
import { currentJwks } from "./jwks_cache.ts"
import { revocationShardName } from "./shard_routing.ts"
import { callStore, TokenStores } from "./token_stores.ts"

/** The claims this service puts in every access token (see issue_tokens.ts). */
export const AccessTokenPayload = Schema.Struct({
  iss: Schema.String,
  sub: Schema.String,
  aud: Schema.Union([Schema.String, Schema.Array(Schema.String)]),
  exp: Schema.Number,
  iat: Schema.Number,
  jti: Schema.String,
  client_id: Schema.String,
  scope: Schema.String,
  sid: Schema.optional(Schema.String),
  /**
   * Present on every token issued for a user (issue_tokens.ts always sets it);
   * absent on client_credentials tokens, which have no end user.
   */
  auth_time: Schema.optional(Schema.Number),
  /** RFC 9449 §6.1: present on DPoP-bound tokens. */
  cnf: Schema.optional(Schema.Struct({ jkt: Schema.String }))
})
/** Type of {@link AccessTokenPayload}. */
export type AccessTokenPayload = typeof AccessTokenPayload.Type

const invalidToken = (description: string) => new OAuthError({ code: "invalid_token", description })

/** Why jose refused a token; `unknownKid` asks for one JWKS refetch. */
class JwtRejected {
  readonly _tag = "JwtRejected"
  constructor(readonly unknownKid: boolean, readonly expired: boolean) {}
}

const verifyWith = (token: string, jwks: JSONWebKeySet, issuer: string | null, now: number) =>
  Effect.tryPromise({
    try: () => jwtVerify(token, createLocalJWKSet(jwks), {
      ...(issuer === null ? {} : { issuer, audience: accessTokenAudience(issuer) }),
      typ: "at+jwt",
      algorithms: ["RS256", "ES256"],
      currentDate: new Date(now),
      requiredClaims: ["exp", "iat", "jti", "sub"]
    }),
    catch: (cause) => new JwtRejected(cause instanceof errors.JWKSNoMatchingKey, cause instanceof errors.JWTExpired)
  })

/**
 * Signature and claims, without the denylist. Refetches the JWKS once when
 * the kid is unknown to the cached set. `issuer` null skips iss/aud (revocation
 * has no issuer in its input; our keys' signature plus typ at+jwt already
 * proves the token is one of ours).
 */
export const verifyAccessJwt = (issuer: string | null, token: string): Effect.Effect<AccessTokenPayload, OAuthError | Unavailable, TokenStores> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const first = yield* currentJwks(false)
    let attempt = yield* Effect.result(verifyWith(token, first.jwks, issuer, now))
    if (Result.isFailure(attempt) && attempt.failure.unknownKid && !first.fresh) {
      const { jwks } = yield* currentJwks(true)
      attempt = yield* Effect.result(verifyWith(token, jwks, issuer, now))
    }
    if (Result.isFailure(attempt)) {
      return yield* invalidToken(attempt.failure.expired ? "access token expired" : "access token is invalid")
    }
    return yield* Schema.decodeUnknownEffect(AccessTokenPayload)(attempt.success.payload).pipe(
      Effect.mapError(() => invalidToken("access token is invalid"))
    )
  })

/** True when the jti is on the denylist. */
export const isAccessTokenRevoked = (jti: string): Effect.Effect<boolean, Unavailable, TokenStores> =>
  Effect.gen(function*() {
    const stores = yield* TokenStores
    return yield* callStore("revocations.isRevoked", () => stores.revocationStore(revocationShardName(jti)).isRevoked(jti))
  })

/**
 * verifyAccessToken of the contract: a verified, unrevoked token's claims, else `invalid_token`.
 * A token without `auth_time` is `clientOnly`: keyed on the one claim every user
 * grant sets, so a user grant that forgot it fails closed at `/userinfo` rather than
 * a client's token being taken for a user's (its `sub` is a client_id).
 */
export const verifyAccessToken = (input: { readonly issuer: string; readonly token: string }): Effect.Effect<AccessTokenClaims, OAuthError | Unavailable, TokenStores> =>
  Effect.gen(function*() {
    const payload = yield* verifyAccessJwt(input.issuer, input.token)
    if (yield* isAccessTokenRevoked(payload.jti)) return yield* invalidToken("access token revoked")
    return { sub: payload.sub, clientId: payload.client_id, scope: payload.scope, jti: payload.jti, exp: payload.exp, sid: payload.sid ?? null,
      ...(payload.cnf === undefined ? {} : { jkt: payload.cnf.jkt }),
      ...(payload.auth_time === undefined ? { clientOnly: true } : {}) }
  })
