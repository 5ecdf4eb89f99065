/** The last step of an authorization: a code for the signed-in session, sent to the RP with state and iss. */
import { DEFAULT_LOCALE, type Locale } from "../i18n/locale.ts"
import type { EdgeFailure, EdgeOnlyErrorCode, Session } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { respondToClient } from "./authorization_response.ts"
import { achievedAcr, essentialAcrUnmet } from "./authentication_context.ts"
import { acrClaimRequest } from "./claims_request.ts"
import { resolveRequestedClaims } from "./requested_claims.ts"
import type { PendingAuthorization } from "./pending_authorization.ts"
import { edgeLog } from "../http/edge_log.ts"
import { grantableScopes } from "./admin_scope_grant.ts"

/**
 * Remembers that the session signed into this client, for back-channel logout
 * (one call to the session's shard, run beside the code creation so it adds no
 * latency). A failure is logged, not fatal: the sign-in matters more than a
 * later logout notice.
 */
const recordClient = (request: PendingAuthorization, session: Session): Effect.Effect<void, never, Edge> =>
  Edge.use(({ backends }) => backends.sessionLogout.recordClient({ sessionId: session.id, clientId: request.target.clientId, expiresAt: session.expiresAt }).pipe(
    Effect.catch((failure) => edgeLog.error("session client not recorded", { failure: failure._tag })),
    Effect.asVoid
  ))

/** Creates the authorization code (tokens service) and delivers it. */
export const issueCode = (ctx: RouteContext, request: PendingAuthorization, session: Session, locale: Locale = DEFAULT_LOCALE): Effect.Effect<Response, EdgeFailure, Edge> =>
  Effect.all([createCode(ctx, request, session, locale), recordClient(request, session)], { concurrency: 2 }).pipe(
    Effect.map(([response]) => response)
  )

/**
 * Creates the code alone, for a caller that already recorded the client with the session (`authenticateForClient`).
 * `locale`: the language of the form_post page, if the RP asked for that response mode. An essential `acr`
 * claim request the session does not meet ends here in `unmet_authentication_requirements` (no code).
 */
export const createCode = (ctx: RouteContext, request: PendingAuthorization, session: Session, locale: Locale = DEFAULT_LOCALE): Effect.Effect<Response, EdgeFailure, Edge> => {
  const acrClaim = acrClaimRequest(request.claims)
  if (essentialAcrUnmet(acrClaim, session.acr)) {
    return respondToClient(request.target, ctx.issuer, [
      ["error", "unmet_authentication_requirements" satisfies EdgeOnlyErrorCode],
      ["error_description", "the sign-in did not reach the essential acr the request asked for"]
    ], locale)
  }
  const acr = achievedAcr([...(acrClaim?.values ?? []), ...(request.acrValues ?? [])], session.acr)
  return Effect.all([grantableScopes(session.userId, request.scopes), resolveRequestedClaims(session.userId, request.claims)], { concurrency: 2 }).pipe(
    Effect.flatMap(([scopes, requestedClaims]) => Edge.use(({ backends }) => backends.tokens.createAuthorizationCode({
    clientId: request.target.clientId,
    redirectUri: request.target.redirectUri,
    userId: session.userId,
    // Scope `admin` only for a holder of an admin permission (admin_scope_grant.ts).
    scope: scopes.join(" "),
    codeChallenge: request.codeChallenge,
    nonce: request.nonce,
    authTime: session.authTime,
    // The acr achieved, in the RP's terms when it asked for one the session meets (authentication_context.ts).
    acr,
    amr: session.amr,
    sid: session.id,
    // An online refresh family ends with the session (issue 9 §2).
    sessionExpiresAt: session.expiresAt,
    // OIDC Core §5.5 claims request (requested_claims.ts).
    ...(requestedClaims === undefined ? {} : { requestedClaims }),
    // RFC 8707 (issue 14): the resources of the request, the access token's aud.
    ...(request.resources === undefined || request.resources.length === 0 ? {} : { resources: request.resources })
  }).pipe(Effect.flatMap(({ code }) => respondToClient(request.target, ctx.issuer, [["code", code]], locale))))))
}
