/**
 * endUserSessions of `SessionsForWorkers` (issue 13 §1): another Worker ends
 * every session of a user. The shard's `revokeForUser` (the same sweep as the
 * admin's "sign out everywhere" without back-channel hand-out: this caller
 * sends no logout tokens, so the sessions' clients are not taken), then one
 * `session.ended` audit event per ended session, naming the calling actor and
 * its reason (reason `ended_by_worker`; the caller's text in `worker_reason`).
 */
import { auditEvent, AuditTrail } from "@authrim/audit-trail"
import type { AuditActor, Misconfigured, NotFound, Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import { sessionShardFor } from "./session_shard.ts"
import { onShard, type SessionShards } from "./session_shards.ts"

/** Ends the user's sessions and audits each; `ended` lists their public ids. */
export const endSessionsForWorker = Effect.fnUntraced(function*(input: {
  readonly userId: string
  readonly reason: string
  readonly actor: AuditActor
}): Effect.fn.Return<{ ended: ReadonlyArray<string> }, Unavailable | Misconfigured, SessionShards | AuditTrail> {
  const result = yield* onShard(sessionShardFor(input.userId), (shard) => shard.revokeForUser({ userId: input.userId })).pipe(
    // revokeForUser of a user without sessions ends nothing; NotFound is only for a malformed shard route, which a user id never is.
    Effect.catchTag("NotFound", (_: NotFound) => Effect.succeed({ revoked: [] as ReadonlyArray<string> }))
  )
  yield* AuditTrail.use((trail) => trail.record(result.revoked.map((sessionId) => auditEvent({
    type: "session.ended", actor: input.actor, userId: input.userId,
    subject: { kind: "session", id: sessionId },
    details: { reason: "ended_by_worker", worker_reason: input.reason }
  }))))
  return { ended: result.revoked }
})
