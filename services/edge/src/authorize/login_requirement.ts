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
import { hintNamesAnotherUser } from "./check_id_token_hint.ts"
import type { PendingAuthorization } from "./pending_authorization.ts"

/** True when the login page must be shown. */
export const loginRequired = (request: PendingAuthorization, session: Session | null, now: number): boolean => {
  if (session === null) return true
  if (request.prompt.includes("login") || request.prompt.includes("select_account")) return true
  // id_token_hint names another user than the session's: that user must sign in (OIDC Core §3.1.2.1).
  if (hintNamesAnotherUser(request.idTokenHintSubject, session.userId)) return true
  // acr_values the session's acr does not meet (e.g. MFA asked, password-only session): sign in again.
  if (!acrSatisfied(request.acrValues ?? [], session.acr)) return true
  const acrClaim = acrClaimRequest(request.claims)
  if (acrClaim !== null && !acrSatisfied(acrClaim.values, session.acr)) return true
  if (request.maxAge === null) return false
  return request.maxAge === 0 || now - session.authTime > request.maxAge * 1000
}
