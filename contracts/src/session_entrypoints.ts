/**
 * What each caller of authrim-session may call (issue 13 §2), one list per
 * named entrypoint of the session worker.
 *
 * - `SessionForEdge` (edge binding `SESSION`): sign-in sessions, logout,
 *   re-authentication, the account page's own sessions.
 * - `SessionAdmin` (edge binding `SESSION_ADMIN`, used only by the admin API):
 *   a user's sessions as an admin sees and ends them, blocking new sessions of
 *   a disabled user, and the dashboard's live-session count.
 */
import { HealthContract } from "./health.ts"
import { SessionLogoutContract } from "./logout.ts"
import { omitMethods, pickMethods } from "./pick_methods.ts"
import type { InterfaceOf } from "./serve_all.ts"
import { SessionContract } from "./session.ts"
import { SessionReauthContract } from "./session_reauth.ts"
import { SessionStatsContract } from "./session_stats.ts"

/** Sessions as sign-in, the account page and logout use them — without ending every session of a user by id (the admin's). */
export const SessionsForEdgeContract = omitMethods(SessionContract, ["revokeForUser"])
/** Logout's part — without letting a blocked user sign in again (the admin's). */
export const SessionLogoutForEdgeContract = omitMethods(SessionLogoutContract, ["allowNewSessions"])

/** Entrypoint `SessionForEdge`. */
export const SessionForEdgeContracts = [SessionsForEdgeContract, SessionLogoutForEdgeContract, SessionReauthContract, HealthContract] as const
/** RPC interface of `SessionForEdge`. */
export type SessionForEdgeRpc = InterfaceOf<typeof SessionForEdgeContracts>

/** A user's sessions as the admin API lists and ends them. */
export const UserSessionsAdminContract = pickMethods(SessionContract, ["listForUser", "revoke", "revokeForUser"])
/** Ending every session of a user and letting a re-enabled one sign in again. */
export const SessionBlockAdminContract = pickMethods(SessionLogoutContract, ["endSessionsForUser", "allowNewSessions"])

/** Entrypoint `SessionAdmin`. */
export const SessionAdminContracts = [UserSessionsAdminContract, SessionBlockAdminContract, SessionStatsContract] as const
/** RPC interface of `SessionAdmin`. */
export type SessionAdminRpc = InterfaceOf<typeof SessionAdminContracts>
