/**
 * Verifying our own access tokens (RFC 9068 §4): signature against the keys
 * JWKS, `typ` at+jwt, `iss`, `aud`, `exp`; then the jti denylist. Anything
 * wrong is `invalid_token` (RFC 6750 §3.1) and says no more than needed.
 */
import {
  ACCESS_TOKEN_ALGS, ACCESS_TOKEN_REQUIRED_CLAIMS, ACCESS_TOKEN_TYP, AccessTokenPayload, accessTokenAudience, OAuthError,
  type AccessTokenClaims, type AccessTokenUse, type DpopProofOutcome, type DpopProofRequest, type Misconfigured, type Unavailable
} from "@authrim/contracts"
import { Clock, Effect, Result, Schema } from "effect"
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from "jose"
import { currentJwks } from "./verification_keys_cache.ts"
import { revocationShardName } from "./shard_routing.ts"
import { callStore, TokenStores } from "./token_stores.ts"
import { openUser } from "./pairwise/pairwise_subject.ts"

/** Built once (the schema is contracts/src/access_token.ts, shared with the edge that verifies tokens too): a decoder per call would be rebuilt on every verification. */
const decodePayload = Schema.decodeUnknownEffect(AccessTokenPayload)

const invalidToken = (description: string) => new OAuthError({ code: "invalid_token", description })

/** Why jose refused a token; `unknownKid` asks for one JWKS refetch. */
class JwtRejected extends Schema.TaggedError<JwtRejected>()("JwtRejected", {
  unknownKid: Schema.Boolean,
  expired: Schema.Boolean,
  /** The `aud` claim did not hold the expected audience (told to a resource server, whose setting it is). */
  wrongAudience: Schema.Boolean
}) {}

/**
 * The `audience` of introspection (issue 14): any `aud` is accepted, the issuer is still checked. Introspection
 * answers the token's own client, and a token for RFC 8707 resources lacks the userinfo audience.
 */
export const ANY_AUDIENCE = { anyAudience: true } as const

/** The `aud` rule of a verification: a resource server's audience, any (introspection), or null for the userinfo resource. */
export type AudienceRule = string | typeof ANY_AUDIENCE | null

const audienceOption = (issuer: string, audience: AudienceRule): { readonly audience?: string } =>
  audience === null ? { audience: accessTokenAudience(issuer) } : typeof audience === "string" ? { audience } : {}

const verifyWith = (token: string, jwks: JSONWebKeySet, issuer: string | null, now: number, audience: AudienceRule) =>
  Effect.tryPromise({
    try: () => jwtVerify(token, createLocalJWKSet(jwks), {
      ...(issuer === null ? {} : { issuer, ...audienceOption(issuer, audience) }),
      typ: ACCESS_TOKEN_TYP,
      algorithms: [...ACCESS_TOKEN_ALGS],
      currentDate: new Date(now),
      requiredClaims: [...ACCESS_TOKEN_REQUIRED_CLAIMS]
    }),
    catch: (cause) => new JwtRejected({
      unknownKid: cause instanceof errors.JWKSNoMatchingKey,
      expired: cause instanceof errors.JWTExpired,
      wrongAudience: cause instanceof errors.JWTClaimValidationFailed && cause.claim === "aud"
    })
  })

/**
 * Signature and claims, without the denylist. Refetches the JWKS once when
 * the kid is unknown to the cached set. `issuer` null skips iss/aud (revocation
 * has no issuer in its input; our keys' signature plus typ at+jwt already
 * proves the token is one of ours). `audience` (a resource server's, issue 13)
 * replaces the default `aud`, the issuer's userinfo resource; `ANY_AUDIENCE` skips the `aud` check.
 */
export const verifyAccessJwt = Effect.fnUntraced(function*(
  issuer: string | null,
  token: string,
  audience: AudienceRule = null
): Effect.fn.Return<AccessTokenPayload, OAuthError | Unavailable, TokenStores> {
  const now = yield* Clock.currentTimeMillis
  const first = yield* currentJwks(false)
  let attempt = yield* Effect.result(verifyWith(token, first.jwks, issuer, now, audience))
  if (Result.isFailure(attempt) && attempt.failure.unknownKid && !first.fresh) {
    const { jwks } = yield* currentJwks(true)
    attempt = yield* Effect.result(verifyWith(token, jwks, issuer, now, audience))
  }
  if (Result.isFailure(attempt)) {
    const { expired, wrongAudience } = attempt.failure
    return yield* invalidToken(expired ? "access token expired" : wrongAudience && typeof audience === "string" ? "access token is not for this audience" : "access token is invalid")
  }
  return yield* decodePayload(attempt.success.payload).pipe(
    Effect.mapError(() => invalidToken("access token is invalid"))
  )
})

/**
 * True when the jti is on the denylist or — `client` given — that client was
 * deleted after the token was issued (`issuedAt` epoch ms; revoke_client_tokens.ts). One read.
 */
export const isAccessTokenRevoked = Effect.fnUntraced(function*(
  jti: string,
  client?: { readonly clientId: string; readonly issuedAt: number }
): Effect.fn.Return<boolean, Unavailable, TokenStores> {
  const stores = yield* TokenStores
  return yield* callStore("revocations.isRevoked", () => stores.revocationStore(revocationShardName(jti)).isRevoked(jti, client))
})

/** The client facts of a verified payload for `isAccessTokenRevoked`. */
export const issuedTo = (payload: { readonly client_id: string; readonly iat: number }) => ({ clientId: payload.client_id, issuedAt: payload.iat * 1000 })

/**
 * verifyAccessToken of the contract: a verified, unrevoked token's claims, else `invalid_token`.
 * A token without `auth_time` is `clientOnly`: keyed on the one claim every user
 * grant sets, so a user grant that forgot it fails closed at `/userinfo` rather than
 * a client's token being taken for a user's (its `sub` is a client_id).
 */
export const verifyAccessToken = Effect.fnUntraced(function*(input: { readonly issuer: string; readonly token: string }): Effect.fn.Return<AccessTokenClaims, OAuthError | Unavailable, TokenStores> {
  const payload = yield* verifyAccessJwt(input.issuer, input.token)
  if (yield* isAccessTokenRevoked(payload.jti, issuedTo(payload))) return yield* invalidToken("access token revoked")
  const userId = payload.authrim_user === undefined ? undefined : yield* realUserOf(payload.authrim_user)
  return { sub: payload.sub, ...(userId === undefined ? {} : { userId }), clientId: payload.client_id, scope: payload.scope, jti: payload.jti, exp: payload.exp, sid: payload.sid ?? null,
    ...(payload.cnf === undefined ? {} : { jkt: payload.cnf.jkt }),
    ...(payload.auth_time === undefined ? { clientOnly: true } : {}) }
})

/** The real user of a pairwise token (its sealed `authrim_user`); a seal this deployment cannot open is `invalid_token`. */
export const realUserOf = Effect.fnUntraced(function*(sealed: string): Effect.fn.Return<string, OAuthError | Unavailable, TokenStores> {
  const userId = yield* openUser(yield* (yield* TokenStores).pairwise.keys, sealed)
  return userId ?? (yield* invalidToken("access token is invalid"))
})

/**
 * checkAccessTokenUse of the contract, for a caller that verified the token
 * itself (the edge, with the published JWKS): the denylist read and, when asked,
 * the DPoP proof check run side by side. `checkProof` is `checkDpopProof` (given by the service, so
 * this module does not depend on DPoP); it alone reads the nonce secret, so a Bearer token never
 * needs the DPoP settings.
 */
export const checkAccessTokenUse = <R>(
  input: { readonly jti: string; readonly dpop?: DpopProofRequest | undefined; readonly clientId?: string | undefined; readonly issuedAt?: number | undefined },
  checkProof: (request: DpopProofRequest) => Effect.Effect<DpopProofOutcome, Unavailable | Misconfigured, R>
): Effect.Effect<AccessTokenUse, Unavailable | Misconfigured, TokenStores | R> => {
  // An older edge sends no client facts: then only the jti is checked (as before issue 12's client revocation).
  const client = input.clientId === undefined || input.issuedAt === undefined ? undefined : { clientId: input.clientId, issuedAt: input.issuedAt * 1000 }
  return input.dpop === undefined
    ? Effect.map(isAccessTokenRevoked(input.jti, client), (revoked) => ({ revoked }))
    : Effect.map(
      Effect.all([isAccessTokenRevoked(input.jti, client), checkProof(input.dpop)], { concurrency: 2 }),
      ([revoked, dpop]) => ({ revoked, dpop })
    )
}
