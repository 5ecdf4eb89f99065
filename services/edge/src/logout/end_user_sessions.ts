/**
 * Ends many sessions of one user at once — "sign out everywhere", "sign out
 * my other sessions", and the end of every other session after a password
 * reset or change — and tells each ended session's RPs, exactly as a single
 * logout does (`end_browser_session.ts`): one back-channel logout per
 * (session, client), queued, never awaited on delivery.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import type { EdgeContext } from "../edge_context.ts"
import { notifyBackchannel } from "./notify_backchannel.ts"

/** Sessions notified in parallel: each one reads its clients from identity, then makes one enqueue. */
const NOTIFY_CONCURRENCY = 4

/**
 * Ends every session of `userId` but `keepSessionId` (the browser that asked,
 * when it stays signed in) and queues their back-channel logouts. Fails only
 * when the sessions could not be ended; a failed enqueue is logged by
 * `notifyBackchannel`, since the sessions are over either way.
 */
export const endUserSessions = (
  ctx: EdgeContext,
  userId: string,
  keepSessionId?: string
): Effect.Effect<void, EdgeFailure> =>
  Effect.gen(function*() {
    const { ended } = yield* ctx.backends.sessionLogout.endSessionsForUser(
      keepSessionId === undefined ? { userId } : { userId, keepSessionId }
    )
    yield* Effect.forEach(
      ended,
      (session) => notifyBackchannel(ctx, { sub: userId, sid: session.sessionId, clientIds: session.clientIds }),
      { concurrency: NOTIFY_CONCURRENCY, discard: true }
    )
  })
