/**
 * What the admin API's user routes do (issue 12 §1), across services: identity
 * holds the user (contracts/src/user_admin.ts), the session service their
 * browser sessions, tokens their refresh families. The routes (admin_*.ts)
 * parse HTTP and call these; nothing here knows HTTP.
 *
 * Disable and delete end everything the user holds, in an order that makes a
 * retry after a partial failure complete the job (every step is idempotent):
 *   1. identity first (`setUserDisabled` / at the end `deleteUser`): from then
 *      on every sign-in method refuses the user, so nothing new is minted;
 *   2. `endUserSessions` (logout/end_user_sessions.ts): every refresh family of
 *      the user is revoked with its access tokens (a grant issued before is
 *      refused later), then every session ends and its RPs get back-channel
 *      logout tokens — an open browser session at /authorize no longer yields codes.
 * Delete runs step 2 before identity's delete: a failed revocation leaves the
 * user in place, so the admin's retry finds everything to end again.
 *
 * Cost (DO requests): a disable/delete is the family index 1 + 1 per family + 1
 * (+ 1 TokenRevocationStore per live access token), the user's session shard 1,
 * one queue send per (session, client) for back-channel logout. A consent
 * revocation: the family index 1 + 1 per family of that client (+ 1 when any).
 */
import type { AdminUser, Session, UserExport } from "@authrim/contracts"
import { NotFound, UserVersionConflict } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { endBrowserSession } from "../logout/end_browser_session.ts"
import { endUserSessions } from "../logout/end_user_sessions.ts"
import type { RouteContext } from "../route_context.ts"

/** The acting administrator and the user acted on. */
export interface UserAdminTarget {
  readonly adminUserId: string
  readonly userId: string
}

/**
 * Disables the user: identity refuses every sign-in from now on, then every
 * refresh family and session of the user ends. Idempotent — call it again
 * after a failure and it completes (`changed` false the second time).
 */
export const disableUser = Effect.fnUntraced(function*(ctx: RouteContext, target: UserAdminTarget) {
  const { adminBackends } = yield* Edge
  const { user, changed } = yield* adminBackends.userAdmin.setUserDisabled({ ...target, disabled: true })
  yield* endUserSessions(ctx, target.userId, undefined, { reason: "user_disabled", blockNewSessions: true })
  return { user, changed }
})

/**
 * Enables the user again: they can sign in (nothing of theirs was kept to
 * revive). Idempotent. The session shard's block goes first (an older session
 * service without it answers RpcFailure: it had no block to lift), so a
 * failure in between leaves identity still refusing every sign-in.
 */
export const enableUser = Effect.fnUntraced(function*(target: UserAdminTarget) {
  const { adminBackends } = yield* Edge
  yield* adminBackends.sessionBlock.allowNewSessions({ userId: target.userId }).pipe(Effect.catchTag("RpcFailure", () => Effect.void))
  return yield* adminBackends.userAdmin.setUserDisabled({ ...target, disabled: false })
})

/**
 * Deletes the user: every refresh family and session ends first, then
 * identity deletes the user and everything it holds about them in one batch.
 * Idempotent: `deleted` false when identity had no such user (any sessions or
 * families of that id were still ended).
 *
 * `expectedVersion` (the admin API's If-Match): read first, so a stale
 * version ends nothing (`UserVersionConflict`, or `NotFound` when the user is
 * gone); then the sessions end and identity's batch deletes only while the
 * version still matches — the check and the cascade are one transaction, so of
 * concurrent deletes with one version exactly one wins. What remains: a PATCH
 * landing between the read and the batch makes the delete a 412 after the
 * sessions were already ended (the admin meant to remove the user anyway; the
 * user signs in again).
 */
export const deleteUser = Effect.fnUntraced(function*(ctx: RouteContext, target: UserAdminTarget & { readonly expectedVersion?: number }) {
  const { adminBackends } = yield* Edge
  if (target.expectedVersion !== undefined) {
    const detail = yield* adminBackends.userAdmin.getUserDetail({ userId: target.userId })
    if (detail.user.version !== target.expectedVersion) return yield* new UserVersionConflict({ currentVersion: detail.user.version })
  }
  yield* endUserSessions(ctx, target.userId, undefined, { reason: "user_deleted" })
  return yield* adminBackends.userAdmin.deleteUser(target)
})

/**
 * Withdraws the user's consent for `clientId` (the consent page shows again
 * at that client's next sign-in) and revokes that client's refresh families
 * of the user with their access tokens. The user's sessions and other
 * clients are untouched. Idempotent in both steps.
 */
export const revokeConsent = Effect.fnUntraced(function*(target: UserAdminTarget & { readonly clientId: string }) {
  const { adminBackends } = yield* Edge
  const { revoked } = yield* adminBackends.userAdmin.revokeConsent(target)
  const families = yield* adminBackends.refreshFamilies.revokeFamiliesForClient({ userId: target.userId, clientId: target.clientId })
  return { revoked, refreshFamiliesRevoked: families.revoked }
})

/** The user's live sessions (one session shard: sessions are sharded by user). */
export const listSessions = Effect.fnUntraced(function*(userId: string) {
  const { adminBackends } = yield* Edge
  const { sessions } = yield* adminBackends.userSessions.listForUser({ userId })
  return sessions
})

/**
 * Ends one session of the user exactly as a logout does (its online refresh
 * families revoked, its RPs told). `NotFound` when the session is not a live
 * session of this user (so a route cannot end another user's session).
 */
export const revokeSession = Effect.fnUntraced(function*(ctx: RouteContext, target: UserAdminTarget & { readonly sessionId: string }) {
  const { backends, adminBackends } = yield* Edge
  const session: Session = yield* backends.session.get({ sessionId: target.sessionId })
  if (session.userId !== target.userId) return yield* new NotFound({ what: "session" })
  yield* endBrowserSession(ctx, session)
  yield* adminBackends.userAdmin.recordUserAdminAction({ adminUserId: target.adminUserId, userId: target.userId, operation: "session.revoked", sessionId: session.id })
  return { revoked: true }
})

/** Ends every session and every refresh family of the user (admin "sign out everywhere"). Idempotent. */
export const revokeAllSessions = Effect.fnUntraced(function*(ctx: RouteContext, target: UserAdminTarget) {
  const { adminBackends } = yield* Edge
  const before = yield* adminBackends.userSessions.listForUser({ userId: target.userId })
  yield* endUserSessions(ctx, target.userId, undefined, { reason: "admin_revoke_all" })
  yield* adminBackends.userAdmin.recordUserAdminAction({
    adminUserId: target.adminUserId, userId: target.userId, operation: "sessions.revoked_all", count: before.sessions.length
  })
  return { revoked: before.sessions.length }
})

/** Removes the user's TOTP and recovery codes (lost authenticator); passkeys and sessions stay. Idempotent. */
export const resetUserMfa = Effect.fnUntraced(function*(target: UserAdminTarget) {
  const { adminBackends } = yield* Edge
  return yield* adminBackends.userAdmin.resetUserMfa(target)
})

/** Everything held about the user (identity's export) plus their live sessions: the GDPR access document. */
export const exportUser = Effect.fnUntraced(function*(target: UserAdminTarget) {
  const { adminBackends } = yield* Edge
  const exported: UserExport = yield* adminBackends.userAdmin.exportUser(target)
  const { sessions } = yield* adminBackends.userSessions.listForUser({ userId: target.userId })
  return { ...exported, sessions }
})

/** Type of a user as these operations return it. */
export type { AdminUser }
