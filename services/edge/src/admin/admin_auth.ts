/**
 * Who is calling the admin API, and may they do this. The caller presents an
 * access token Authrim issued — `Authorization: Bearer …`, or `DPoP …` with a
 * proof for a DPoP-bound token (RFC 9449 §7) — checked exactly as /userinfo
 * checks one (signature, claims, revocation, sender constraint: the edge's
 * resource-server checks in resource/ and dpop/).
 *
 * Authorization rule (issue 12 §1, §3):
 * - the token must have an end user and carry scope `admin` (RFC 6750 §3.1
 *   `insufficient_scope` otherwise);
 * - the user's CURRENT permissions are read from identity on every request
 *   (`getUserPermissions`, one D1 query), so taking a role away takes effect
 *   on the next request, whatever tokens are still out there;
 * - those permissions are intersected with what the token's scope allows:
 *   `admin` alone allows every permission the user holds; a token that also
 *   carries permission-named scopes (`admin:read`, `clients:write`, …) is
 *   limited to those. `admin:read` implies every `*:read`, `admin:write` every write.
 */
import { ADMIN_SCOPE, OAuthError, Permission, permissionGranted, type AccessTokenClaims, type EdgeFailure } from "@authrim/contracts"
import { Effect, Result, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { acceptProofOutcome, enforceSenderConstraint, proofToCheck, resourceDpopError, type ResourceDpopFailure, type TokenScheme } from "../dpop/resource_dpop.ts"
import { accessTokenClaims, verifyAccessTokenJwt } from "../resource/access_token_jwt.ts"
import { accessTokenUse } from "../resource/access_token_use.ts"
import { AdminProblem, backendProblem, failureProblem, insufficientScope, unauthorized } from "./admin_problem.ts"

/** The authenticated admin of one request. */
export interface AdminPrincipal {
  /** The user the token was issued to (`sub`): the actor of every write, as audited. */
  readonly userId: string
  readonly clientId: string
  /** The user's current permissions, as identity answered them for this request. */
  readonly permissions: ReadonlyArray<string>
  readonly scopes: ReadonlyArray<string>
}

const isPermission = Schema.is(Permission)

/** True when the principal may use `required` (user's permission ∩ token scope). */
export const principalMay = (principal: AdminPrincipal, required: Permission): boolean => {
  const scoped = principal.scopes.filter(isPermission)
  return principal.scopes.includes(ADMIN_SCOPE) && permissionGranted(principal.permissions, required) &&
    (scoped.length === 0 || permissionGranted(scoped, required))
}

const tokenOf = (request: Request): Effect.Effect<{ token: string; scheme: TokenScheme }, AdminProblem> => {
  const header = request.headers.get("authorization")
  if (header === null) return Effect.fail(unauthorized("an access token is required", null))
  const match = /^(bearer|dpop) +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)
  if (match === null) return Effect.fail(unauthorized("the Authorization header is not a Bearer or DPoP token", "invalid_token"))
  return Effect.succeed({ token: match[2]!, scheme: match[1]!.toLowerCase() === "dpop" ? "DPoP" : "Bearer" })
}

const dpopProblem = (failure: ResourceDpopFailure): AdminProblem => {
  const rendered = resourceDpopError(failure)
  const base = unauthorized(failure.description, null, rendered.headers.get("www-authenticate") ?? undefined)
  const nonce = rendered.headers.get("dpop-nonce")
  return nonce === null ? base : new AdminProblem({ ...base, headers: { ...base.headers, "dpop-nonce": nonce } })
}

const tokenProblem = (failure: EdgeFailure | ResourceDpopFailure): AdminProblem => {
  if (failure._tag === "ResourceDpopFailure") return dpopProblem(failure)
  if (failure._tag === "OAuthError" && failure.code === "invalid_token") return unauthorized(failure.description, "invalid_token")
  return backendProblem(failure)
}

/** Revocation and binding against a tokens worker older than `checkAccessTokenUse` (as /userinfo does). */
const olderTokensCheck = Effect.fnUntraced(function*(ctx: RouteContext, request: Request, scheme: TokenScheme, accessToken: string, claims: AccessTokenClaims) {
  const { backends } = yield* Edge
  yield* backends.tokens.verifyAccessToken({ issuer: ctx.issuer, token: accessToken })
  yield* enforceSenderConstraint(ctx, request, scheme, accessToken, claims)
})

/**
 * The admin calling, allowed `required`; else the 401 (no or bad token, with
 * `WWW-Authenticate`) or 403 (`insufficient_scope`) problem. Token checks and
 * the permission read run side by side: two backend calls, as /userinfo.
 */
export const authenticateAdmin = Effect.fnUntraced(function*(request: Request, ctx: RouteContext, required: Permission): Effect.fn.Return<AdminPrincipal, AdminProblem, Edge> {
  return yield* authenticateAdminToken(request, ctx, yield* tokenOf(request), required)
})

/**
 * {@link authenticateAdmin} for a token the caller already holds (the console keeps it in its cookie):
 * the same checks; `required` null asks only for scope `admin` and the user's current permissions.
 */
export const authenticateAdminToken = Effect.fnUntraced(function*(
  request: Request, ctx: RouteContext, presented: { readonly token: string; readonly scheme: TokenScheme }, required: Permission | null
): Effect.fn.Return<AdminPrincipal, AdminProblem, Edge> {
  const { backends } = yield* Edge
  const { token, scheme } = presented
  const payload = yield* verifyAccessTokenJwt(ctx.issuer, token).pipe(Effect.mapError(tokenProblem))
  const claims = accessTokenClaims(payload)
  const scopes = claims.scope.split(" ").filter((s) => s !== "")
  const binding = yield* Effect.result(proofToCheck(ctx, request, scheme, token, claims))
  const wantsPermissions = claims.clientOnly !== true && scopes.includes(ADMIN_SCOPE)
  const [use, held] = yield* Effect.all([
    accessTokenUse(claims.jti, Result.isSuccess(binding) ? binding.success : null, payload).pipe(Effect.mapError(tokenProblem)),
    wantsPermissions ? backends.rbac.getUserPermissions({ userId: claims.sub }).pipe(Effect.mapError(failureProblem)) : Effect.succeed(null)
  ], { concurrency: 2 })
  if (use === null) {
    yield* olderTokensCheck(ctx, request, scheme, token, claims).pipe(Effect.mapError(tokenProblem))
  } else {
    if (use.revoked) return yield* unauthorized("access token revoked", "invalid_token")
    if (Result.isFailure(binding)) return yield* dpopProblem(binding.failure)
    if (binding.success !== null) {
      if (use.dpop === undefined) return yield* backendProblem(new OAuthError({ code: "temporarily_unavailable", description: "the DPoP proof was not checked" }))
      yield* acceptProofOutcome(use.dpop, claims).pipe(Effect.mapError(dpopProblem))
    }
  }
  if (claims.clientOnly === true) return yield* unauthorized("the access token has no end user (client_credentials)", "invalid_token")
  if (held === null) return yield* insufficientScope(`the access token was not issued for scope ${ADMIN_SCOPE}`, ADMIN_SCOPE)
  const principal: AdminPrincipal = { userId: claims.sub, clientId: claims.clientId, permissions: held.permissions, scopes }
  if (required !== null && !principalMay(principal, required)) return yield* insufficientScope(`this operation requires the permission ${required}`, ADMIN_SCOPE)
  return principal
})
