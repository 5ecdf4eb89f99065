/**
 * Whether the user must (re-)authenticate before this request can be
 * answered (OIDC Core §3.1.2.1/§3.1.2.3): no session, `prompt=login` or
 * `select_account`, or an authentication older than `max_age` (0 = now).
 */
import type { Session } from "@authrim/contracts"
import type { PendingAuthorization } from "./pending_authorization.ts"

/** True when the login page must be shown. */
export const loginRequired = (request: PendingAuthorization, session: Session | null, now: number): boolean => {
  if (session === null) return true
  if (request.prompt.includes("login") || request.prompt.includes("select_account")) return true
  if (request.maxAge === null) return false
  return request.maxAge === 0 || now - session.authTime > request.maxAge * 1000
}
