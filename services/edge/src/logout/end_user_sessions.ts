/**
 * Ends many sessions of one user at once — "sign out everywhere", "sign out
 * my other sessions", and the end of every other session after a password
 * reset or change — and tells each ended session's RPs, exactly as a single
 * logout does (`end_browser_session.ts`): one back-channel logout per
 * (session, client), queued, never awaited on delivery.
 *
 * Refresh families (issue 9 §2): by default EVERY family of the user is
 * revoked, offline ones included, with their access tokens — what a password
 * reset or change and "sign out everywhere" must do. "Sign out my other
 * sessions" asks for `families: "of_ended_sessions"`: only the families bound
 * to the sessions it ended (offline ones then just lose their `sid`).
 */
import type { EdgeFailure, RevokeAllReason } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { loggedInClients, notifyBackchannel } from "./notify_backchannel.ts"

/** Sessions notified in parallel: each one reads its clients from identity, then makes one enqueue. */
const NOTIFY_CONCURRENCY = 4

/** Which refresh families end with the sessions. */
export interface FamiliesToEnd {
  /** "all" (default): every family of the user; "of_ended_sessions": those bound to the sessions ended here. */
  readonly families?: "all" | "of_ended_sessions"
  /** Recorded with an "all" revocation (default `all_sessions_ended`). */
  readonly reason?: RevokeAllReason
  /** The user was disabled or deleted: their shard refuses new sessions until enabled again (session blocked_users.ts). */
  readonly blockNewSessions?: boolean
}

/**
 * Ends every session of `userId` but `keepSessionId` (the browser that asked,
 * when it stays signed in) and queues their back-channel logouts. Fails when
 * the sessions or the refresh families could not be ended; a failed enqueue
 * is logged by `notifyBackchannel`, since the sessions are over either way.
 *
 * "All" families are revoked BEFORE the sessions end: a failure then leaves
 * everything as it was, to retry. A session's grant made meanwhile cannot
 * become a family: the tokens service refuses grants of sessions that
 * authenticated before the revocation (except the kept one).
 */
export const endUserSessions = Effect.fnUntraced(function*(
  ctx: RouteContext,
  userId: string,
  keepSessionId?: string,
  options: FamiliesToEnd = {}
): Effect.fn.Return<void, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const allFamilies = options.families !== "of_ended_sessions"
  if (allFamilies) {
    yield* backends.refreshFamilies.revokeAllForUser({
      userId, reason: options.reason ?? "all_sessions_ended", ...(keepSessionId === undefined ? {} : { keepSessionId })
    })
  }
  const { ended } = yield* backends.sessionLogout.endSessionsForUser({
    userId,
    ...(keepSessionId === undefined ? {} : { keepSessionId }),
    ...(options.blockNewSessions === true ? { blockNewSessions: true } : {})
  })
  yield* Effect.forEach(
    ended,
    (session) =>
      Effect.andThen(
        allFamilies ? Effect.void : backends.refreshFamilies.revokeFamiliesForSession({ userId, sid: session.sessionId }),
        Effect.flatMap(loggedInClients(session.clientIds), (clients) => notifyBackchannel(ctx, { sub: userId, sid: session.sessionId, clients }))
      ),
    { concurrency: NOTIFY_CONCURRENCY, discard: true }
  )
})
