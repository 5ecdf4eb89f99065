/**
 * The session service's audit events (issue 11 §2), recorded by the service
 * worker once the shard has answered — the fact is then known and the
 * request's id/IP/user agent are at hand (`CurrentRequest`, filled in by the
 * trail). One `record` per RPC call: `session.started` on create,
 * `session.ended` for each session a call ended (with its reason), and
 * `logout` beside it when the call was an RP-initiated / browser logout.
 * A call that ended nothing (idempotent repeat) records nothing.
 *
 * The subject is the session's public id (the ID token's `sid`), never the
 * cookie. `revoke`/`endSession` receive only the session id; the shard
 * answers whose session it ended (from its hot set, or the D1 row's
 * `DELETE … RETURNING user_id`), so every `session.ended` names its user.
 */
import { auditEvent, AuditTrail } from "@authrim/audit-trail"
import { SystemSettings, type AuditEvent, type SessionContract, type SessionLogoutContract } from "@authrim/contracts"
import { Effect } from "effect"
import { sessionShardFor } from "./session_shard.ts"
import { shardOfSessionId } from "./session_id.ts"
import { onShard } from "./session_shards.ts"

type CreateInput = typeof SessionContract.create.input.Type
type ForUserInput = typeof SessionContract.revokeForUser.input.Type

/** Why a session ended, by the call that ended it. */
export type SessionEndReason = "revoked" | "revoked_for_user" | "logout" | "ended_for_user"

const record = (events: ReadonlyArray<AuditEvent>) => AuditTrail.use((trail) => trail.record(events))

const ended = (sessionId: string, userId: string | null, reason: SessionEndReason): AuditEvent =>
  auditEvent({
    type: "session.ended", actor: { kind: "user", id: userId }, userId,
    subject: { kind: "session", id: sessionId }, details: { reason }
  })

/** `create` + `session.started` (actor: the user who authenticated; how: amr/acr). */
export const startSession = Effect.fnUntraced(function*(requested: CreateInput) {
  // No lifetime asked for: the settings' sessionLifetimeSeconds (default 24 h, session_ttl.ts).
  const input = requested.ttlSeconds !== undefined ? requested
    : { ...requested, ttlSeconds: (yield* (yield* SystemSettings).current).sessionLifetimeSeconds }
  const created = yield* onShard(sessionShardFor(input.userId), (shard) => shard.create(input))
  yield* record([auditEvent({
    type: "session.started", actor: { kind: "user", id: input.userId }, userId: input.userId,
    subject: { kind: "session", id: created.session.id },
    ip: input.ipAddress, userAgent: input.userAgent,
    details: { amr: input.amr.join(" "), acr: input.acr, device: input.deviceName, expires_at: created.session.expiresAt }
  })])
  return created
})

/** `revoke` + `session.ended` (reason `revoked`) when this call ended it. */
export const revokeSession = Effect.fnUntraced(function*(input: { readonly sessionId: string }) {
  const result = yield* onShard(shardOfSessionId(input.sessionId), (shard) => shard.revoke(input))
  if (result.revoked) yield* record([ended(input.sessionId, result.userId ?? null, "revoked")])
  return result
})

/** `revokeForUser` + one `session.ended` (reason `revoked_for_user`) per session it ended, in one message. */
export const revokeUserSessions = Effect.fnUntraced(function*(input: ForUserInput) {
  const result = yield* onShard(sessionShardFor(input.userId), (shard) => shard.revokeForUser(input))
  yield* record(result.revoked.map((id) => ended(id, input.userId, "revoked_for_user")))
  return result
})

/** `endSession` (a logout): `logout` and `session.ended` (reason `logout`) when this call ended it. */
export const endSession = Effect.fnUntraced(function*(input: typeof SessionLogoutContract.endSession.input.Type) {
  const result = yield* onShard(shardOfSessionId(input.sessionId), (shard) => shard.endSession(input))
  if (result.revoked) {
    yield* record([
      auditEvent({
        type: "logout", actor: { kind: "user", id: result.userId ?? null }, userId: result.userId ?? null,
        subject: { kind: "session", id: input.sessionId }, details: { clients: result.clientIds.length }
      }),
      ended(input.sessionId, result.userId ?? null, "logout")
    ])
  }
  return result
})

/** `endSessionsForUser` + one `session.ended` (reason `ended_for_user`) per session it ended, in one message. */
export const endUserSessions = Effect.fnUntraced(function*(input: typeof SessionLogoutContract.endSessionsForUser.input.Type) {
  const result = yield* onShard(sessionShardFor(input.userId), (shard) => shard.endSessionsForUser(input))
  yield* record(result.ended.map((s) => ended(s.sessionId, input.userId, "ended_for_user")))
  return result
})
