/**
 * Whether the user must (re-)authenticate before this request can be
 * answered (OIDC Core §3.1.2.1/§3.1.2.3): no session, `prompt=login` or
 * `select_account`, an authentication older than `max_age` (0 = now), or a
 * session whose `acr` does not meet the requested `acr_values` or the values
 * of an `acr` claim request (`claims` parameter, OIDC Core §5.5.1.1).
 */
import type { Session } from "@authrim/contracts"
import { acrSatisfied } from "./authentication_context.ts"
import { acrClaimRequest } from "./claims_request.ts"
import type { PendingAuthorization } from "./pending_authorization.ts"

/**
 * True when the login page must be shown. `namesAnotherUser`: the request names a user (id_token_hint, a
 * requested `sub` value — requested_user.ts) and the session's is someone else.
 */
export const loginRequired = (request: PendingAuthorization, session: Session | null, now: number, namesAnotherUser: boolean): boolean => {
  if (session === null) return true
  if (request.prompt.includes("login") || request.prompt.includes("select_account")) return true
  // The request names another user than the session's: that user must sign in (OIDC Core §3.1.2.1, §5.5.1).
  if (namesAnotherUser) return true
  // acr_values the session's acr does not meet (e.g. MFA asked, password-only session): sign in again.
  if (!acrSatisfied(request.acrValues ?? [], session.acr)) return true
  const acrClaim = acrClaimRequest(request.claims)
  if (acrClaim !== null && !acrSatisfied(acrClaim.values, session.acr)) return true
  if (request.maxAge === null) return false
  return request.maxAge === 0 || now - session.authTime > request.maxAge * 1000
}
