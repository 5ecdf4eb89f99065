/**
 * The edge as resource server (RFC 9068 §4): it checks an access token itself
 * with the JWKS in isolate memory — signature, `alg`, `typ` at+jwt, `iss`,
 * `aud`, `exp`, the required claims and their shapes — the checks the tokens
 * service's verifyAccessToken makes (services/tokens/src/verify_access_token.ts),
 * with the same jose call and the shared contract (contracts/src/access_token.ts).
 * Revocation is not here: only the tokens service knows (access_token_use.ts).
 * Anything wrong is `invalid_token` (RFC 6750 §3.1) and says no more than needed.
 */
import {
  ACCESS_TOKEN_ALGS, ACCESS_TOKEN_REQUIRED_CLAIMS, ACCESS_TOKEN_TYP, AccessTokenPayload, accessTokenAudience, OAuthError,
  type AccessTokenClaims, type EdgeFailure
} from "@authrim/contracts"
import { Clock, Effect, Result, Schema } from "effect"
import type { Edge } from "../edge_layer.ts"
import { errors, jwtVerify } from "jose"
import { currentJwks, refetchedJwks, type PublishedJwks } from "../discovery/edge_jwks_cache.ts"
import { UnknownSigningKey, verificationKeyFor } from "./verification_keys.ts"

const invalidToken = (description: string) => new OAuthError({ code: "invalid_token", description })

/** Why jose refused a token; `unknownKey` asks for one JWKS refetch. */
class JwtRejected extends Schema.TaggedError<JwtRejected>()("JwtRejected", { unknownKey: Schema.Boolean, expired: Schema.Boolean }) {}

const decodePayload = Schema.decodeUnknownEffect(AccessTokenPayload)

/** Which `aud` a verification demands: the issuer's userinfo resource, or any (introspection, issue 14). */
export type AudienceRule = "userinfo" | "any"

const verifyWith = (token: string, jwks: PublishedJwks, issuer: string, now: number, audience: AudienceRule) =>
  Effect.tryPromise({
    try: () => jwtVerify(token, (header) => verificationKeyFor(jwks, header), {
      issuer,
      // RFC 8707 (issue 14): a token for resources lacks the userinfo audience; /userinfo refuses it, introspection reports it.
      ...(audience === "any" ? {} : { audience: accessTokenAudience(issuer) }),
      typ: ACCESS_TOKEN_TYP,
      algorithms: [...ACCESS_TOKEN_ALGS],
      currentDate: new Date(now),
      requiredClaims: [...ACCESS_TOKEN_REQUIRED_CLAIMS]
    }),
    catch: (cause) => new JwtRejected({ unknownKey: cause instanceof UnknownSigningKey, expired: cause instanceof errors.JWTExpired })
  })

/**
 * The verified payload of `token` issued by `issuer`, or `invalid_token`; a JWKS fetch failure is the keys service's.
 * `audience`: "userinfo" (default: /userinfo, the admin API) or "any" (introspection, which reports `aud`).
 */
export const verifyAccessTokenJwt = Effect.fnUntraced(function*(issuer: string, token: string, audience: AudienceRule = "userinfo"): Effect.fn.Return<AccessTokenPayload, OAuthError | EdgeFailure, Edge> {
  const now = yield* Clock.currentTimeMillis
  const jwks = yield* currentJwks
  let attempt = yield* Effect.result(verifyWith(token, jwks, issuer, now, audience))
  if (Result.isFailure(attempt) && attempt.failure.unknownKey) {
    // Right after a rotation the new key signs before this copy has seen it.
    const fresh = yield* refetchedJwks(jwks)
    if (fresh !== null) attempt = yield* Effect.result(verifyWith(token, fresh, issuer, now, audience))
  }
  if (Result.isFailure(attempt)) return yield* invalidToken(attempt.failure.expired ? "access token expired" : "access token is invalid")
  return yield* decodePayload(attempt.success.payload).pipe(Effect.mapError(() => invalidToken("access token is invalid")))
})

/**
 * The contract's view of a verified payload (as tokens' verifyAccessToken answers it).
 * No `auth_time` means no end user (`clientOnly`): every user grant sets it, so a
 * user grant that forgot it fails closed at `/userinfo`.
 */
export const accessTokenClaims = (payload: AccessTokenPayload): AccessTokenClaims => ({
  sub: payload.sub, clientId: payload.client_id, scope: payload.scope, jti: payload.jti, exp: payload.exp, sid: payload.sid ?? null,
  ...(payload.cnf === undefined ? {} : { jkt: payload.cnf.jkt }),
  ...(payload.auth_time === undefined ? { clientOnly: true } : {})
})
