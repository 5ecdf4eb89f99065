/**
 * `GET|POST /userinfo` (OIDC Core §5.3), a protected resource (RFC 6750):
 * the bearer token comes in the Authorization header or, for POST, the form
 * body's `access_token` — never the query (RFC 9700 §2.4), and never both
 * (RFC 6750 §2). Errors carry `WWW-Authenticate` (RFC 6750 §3); a request
 * with no token gets a bare challenge, without an error code (§3.1).
 * A token with no end user (client_credentials) is `invalid_token` (401), not
 * `insufficient_scope` (403): no scope would make it valid here, since there
 * is no user to describe, and §3.1's insufficient_scope invites a retry with
 * a broader token the client could never obtain by that grant.
 */
import { OAuthError, toWireError, wwwAuthenticate, type AccessTokenClaims, type EdgeFailure } from "@authrim/contracts"
import { Effect, Result, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { withCors } from "../http/cors.ts"
import { isFormEncoded, readFormBody } from "../http/form_body.ts"
import { noStoreJson, wireErrorJson } from "../http/oauth_json.ts"
import {
  acceptProofOutcome, enforceSenderConstraint, proofToCheck, resourceDpopError, type ResourceDpopFailure, type TokenScheme
} from "../dpop/resource_dpop.ts"
import { accessTokenClaims, verifyAccessTokenJwt } from "../resource/access_token_jwt.ts"
import { accessTokenUse } from "../resource/access_token_use.ts"
import { CLAIM_SCOPES, pickClaims } from "../authorize/requested_claims.ts"

/** Signals "no token at all" (RFC 6750 §3.1: no error code in the challenge). */
class MissingToken extends Schema.TaggedError<MissingToken>()("MissingToken", {}) {}

/** The access token of the request and its scheme (RFC 6750 Bearer, or RFC 9449 §7.1 DPoP in the header). */
const bearerToken = Effect.fnUntraced(function*(request: Request): Effect.fn.Return<{ token: string; scheme: TokenScheme }, OAuthError | MissingToken> {
  const header = request.headers.get("authorization")
  const match = header === null ? null : /^(bearer|dpop) +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)
  if (header !== null && match === null) {
    return yield* new OAuthError({ code: "invalid_token", description: "the Authorization header is not a Bearer or DPoP token" })
  }
  const inBody = request.method === "POST" && isFormEncoded(request) ? (yield* readFormBody(request)).get("access_token") : undefined
  if (match !== null && inBody !== undefined) {
    return yield* new OAuthError({ code: "invalid_request", description: "send the access token in one place only" })
  }
  const tokenValue = match?.[2] ?? inBody
  if (tokenValue === undefined) return yield* Effect.fail(new MissingToken())
  return { token: tokenValue, scheme: match?.[1]?.toLowerCase() === "dpop" ? "DPoP" as const : "Bearer" as const }
})

/**
 * Revocation and the DPoP binding against a tokens worker older than
 * `checkAccessTokenUse`: its verifyAccessToken, then a proof call of its own.
 */
const olderTokensCheck = Effect.fnUntraced(function*(ctx: RouteContext, request: Request, scheme: TokenScheme, accessToken: string) {
  const { backends } = yield* Edge
  const claims = yield* backends.tokens.verifyAccessToken({ issuer: ctx.issuer, token: accessToken })
  yield* enforceSenderConstraint(ctx, request, scheme, accessToken, claims)
})

/**
 * The claims of the token's user for its scopes. The edge verifies the JWT
 * itself (JWKS in memory); then, side by side, the tokens service says whether
 * it is revoked (and checks a DPoP proof) and identity reads the claims: two
 * calls, one Durable Object read, one D1 query. Refusals keep their order:
 * invalid or revoked token, DPoP binding, no end user, no openid scope, unknown user.
 * Claims the `userinfo` member of an OIDC Core §5.5 `claims` request named
 * (`authrim_userinfo_claims` of the token, issue 14) are released too when
 * the user has them: one more D1 query beside, only for such a token.
 */
const userClaims = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const { token: accessToken, scheme } = yield* bearerToken(request)
  const payload = yield* verifyAccessTokenJwt(ctx.issuer, accessToken)
  if (payload.authrim_user !== undefined) return yield* pairwiseUserClaims(ctx, request, scheme, accessToken, payload.authrim_userinfo_claims ?? [])
  const claims: AccessTokenClaims = accessTokenClaims(payload)
  const binding = yield* Effect.result(proofToCheck(ctx, request, scheme, accessToken, claims))
  const scopes = claims.scope.split(" ").filter((s) => s !== "")
  const describesUser = claims.clientOnly !== true && scopes.includes("openid")
  const requested = describesUser ? payload.authrim_userinfo_claims ?? [] : []
  const [use, profile, extra] = yield* Effect.all([
    accessTokenUse(claims.jti, Result.isSuccess(binding) ? binding.success : null, payload),
    describesUser ? Effect.result(backends.identity.getUserClaims({ userId: claims.sub, scopes })) : Effect.succeed(null),
    requested.length === 0 ? Effect.succeed(null) : Effect.result(backends.identity.getUserClaims({ userId: claims.sub, scopes: CLAIM_SCOPES }))
  ], { concurrency: 3 })
  if (use === null) {
    yield* olderTokensCheck(ctx, request, scheme, accessToken)
  } else {
    if (use.revoked) return yield* new OAuthError({ code: "invalid_token", description: "access token revoked" })
    if (Result.isFailure(binding)) return yield* Effect.fail(binding.failure)
    if (binding.success !== null) {
      if (use.dpop === undefined) return yield* new OAuthError({ code: "temporarily_unavailable", description: "the DPoP proof was not checked" })
      yield* acceptProofOutcome(use.dpop, claims)
    }
  }
  return yield* releasedClaims(claims, profile, extra, requested)
})

type ClaimsRead = Result.Result<Readonly<Record<string, unknown>>, EdgeFailure> | null

/** The answer from the identity reads, with the refusals in their order: no end user, no openid scope, unknown user. */
const releasedClaims = Effect.fnUntraced(function*(claims: AccessTokenClaims, profile: ClaimsRead, extra: ClaimsRead, requested: ReadonlyArray<string>) {
  if (claims.clientOnly === true) {
    return yield* new OAuthError({ code: "invalid_token", description: "the access token has no end user (client_credentials)" })
  }
  if (profile === null) {
    return yield* new OAuthError({ code: "insufficient_scope", description: "the access token was not issued for openid" })
  }
  if (Result.isFailure(profile)) {
    return yield* profile.failure._tag === "NotFound"
      ? new OAuthError({ code: "invalid_token", description: "the token's user no longer exists" })
      : Effect.fail(profile.failure)
  }
  const requestedClaims = extra !== null && Result.isSuccess(extra) ? pickClaims(extra.success, requested) : {}
  if (extra !== null && Result.isFailure(extra) && extra.failure._tag !== "NotFound") return yield* Effect.fail(extra.failure)
  return { ...profile.success, ...requestedClaims, sub: claims.sub }
})

/**
 * A pairwise client's token (OIDC Core §8.1): its `sub` is not the user id and only the tokens
 * service can open the sealed real user (`authrim_user`), so its verifyAccessToken answers first
 * (signature, revocation, the user), then the DPoP binding is checked and identity is read for
 * that user — one call more than a public token, in sequence. The answer names the pairwise `sub`.
 */
const pairwiseUserClaims = Effect.fnUntraced(function*(
  ctx: RouteContext, request: Request, scheme: TokenScheme, accessToken: string, userinfoClaims: ReadonlyArray<string>
) {
  const { backends } = yield* Edge
  const claims = yield* backends.tokens.verifyAccessToken({ issuer: ctx.issuer, token: accessToken })
  yield* enforceSenderConstraint(ctx, request, scheme, accessToken, claims)
  const scopes = claims.scope.split(" ").filter((s) => s !== "")
  const userId = claims.userId
  const describesUser = claims.clientOnly !== true && scopes.includes("openid")
  if (describesUser && userId === undefined) return yield* new OAuthError({ code: "temporarily_unavailable", description: "the token's user could not be read" })
  const requested = describesUser ? userinfoClaims : []
  const [profile, extra] = yield* Effect.all([
    describesUser && userId !== undefined ? Effect.result(backends.identity.getUserClaims({ userId, scopes })) : Effect.succeed(null),
    requested.length === 0 || userId === undefined ? Effect.succeed(null) : Effect.result(backends.identity.getUserClaims({ userId, scopes: CLAIM_SCOPES }))
  ], { concurrency: 2 })
  return yield* releasedClaims(claims, profile, extra, requested)
})

/** A protected-resource error: status and challenge from the wire error. */
const resourceError = (failure: EdgeFailure | MissingToken | ResourceDpopFailure): Response => {
  if (failure._tag === "ResourceDpopFailure") return resourceDpopError(failure)
  if (failure._tag === "MissingToken") {
    return noStoreJson({ error: "invalid_token", error_description: "an access token is required" }, 401, { "www-authenticate": wwwAuthenticate("Bearer") })
  }
  const wire = toWireError(failure)
  return wireErrorJson(wire, wire.status < 500 ? { "www-authenticate": wwwAuthenticate("Bearer", wire) } : {})
}

/** Handles a userinfo request. */
export const userinfo = (request: Request, ctx: RouteContext): Effect.Effect<Response, never, Edge> =>
  userClaims(request, ctx).pipe(
    Effect.map((claims) => noStoreJson(claims)),
    Effect.catch((failure) => Effect.succeed(resourceError(failure))),
    Effect.map(withCors)
  )
