/**
 * The consumer side of the audit trail (issue 11 §2): `AUDIT_QUEUE` messages
 * (contracts/src/audit.ts) into D1 `audit_log`.
 *
 * - Idempotent: the event's ULID is the primary key and every row is
 *   `INSERT OR IGNORE`, so a redelivered batch writes nothing twice.
 * - All-or-nothing per delivery: the rows of every valid message go in one D1
 *   batch (one transaction); if it fails — after the D1 retry policy — every
 *   valid message is retried with exponential backoff (2^attempts s, ≤ 5 min),
 *   and after the queue's `max_retries` lands in the dead-letter queue. Nothing
 *   is acknowledged before its rows are committed.
 * - A message that does not decode is retried too (never acknowledged and
 *   dropped), so it ends in the dead-letter queue where an operator can read it.
 */
import { AuditBatch, logger, tryD1, type AuditEvent, type Unavailable } from "@authrim/contracts"
import { Effect, Schema } from "effect"

/** D1's per-statement bound-parameter limit is 100; one row binds 14. */
const ROW_PARAMS = 14
const ROWS_PER_STATEMENT = Math.floor(100 / ROW_PARAMS)

const COLUMNS = "id, created_at, action, user_id, client_id, actor_type, actor_id, resource_type, resource_id, outcome, ip, user_agent, request_id, metadata"

const rowValues = (e: AuditEvent): Array<string | number | null> => [
  e.id, e.at, e.type, e.userId, e.clientId, e.actor.kind, e.actor.id, e.subject?.kind ?? null, e.subject?.id ?? null,
  e.outcome, e.ip, e.userAgent?.slice(0, 300) ?? null, e.requestId, JSON.stringify(e.details)
]

/** The INSERT OR IGNORE statements of `events` (several rows per statement). */
export const auditInserts = (db: D1Database, events: ReadonlyArray<AuditEvent>): Array<D1PreparedStatement> => {
  const statements: Array<D1PreparedStatement> = []
  for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
    const chunk = events.slice(i, i + ROWS_PER_STATEMENT)
    const placeholders = chunk.map(() => `(${Array(ROW_PARAMS).fill("?").join(", ")})`).join(", ")
    statements.push(db.prepare(`INSERT OR IGNORE INTO audit_log (${COLUMNS}) VALUES ${placeholders}`).bind(...chunk.flatMap(rowValues)))
  }
  return statements
}

/** Writes `events` in one D1 batch (one transaction), under the D1 retry policy. */
export const writeAuditEvents = (db: D1Database, events: ReadonlyArray<AuditEvent>): Effect.Effect<void, Unavailable> =>
  events.length === 0 ? Effect.void : tryD1("identity", "audit_log insert", () => db.batch(auditInserts(db, events))).pipe(Effect.asVoid)

const log = logger("identity")

const decodeBatch = Schema.decodeUnknownOption(AuditBatch)

/** Backoff of a message's next delivery: 2^attempts seconds, at most 5 minutes. */
export const auditRetryDelaySeconds = (attempts: number): number => Math.min(300, 2 ** Math.max(1, attempts))

/** What the queue handler does with one delivery; exported for tests. */
export const consumeAuditDelivery = Effect.fnUntraced(function*(db: D1Database, batch: MessageBatch<unknown>) {
  const valid: Array<Message<unknown>> = []
  const events: Array<AuditEvent> = []
  for (const message of batch.messages) {
    const decoded = decodeBatch(message.body)
    if (decoded._tag === "None") {
      yield* log.error("audit message does not decode; retried until the dead-letter queue", { id: message.id, attempts: message.attempts })
      message.retry({ delaySeconds: auditRetryDelaySeconds(message.attempts) })
      continue
    }
    valid.push(message)
    events.push(...decoded.value.events)
  }
  const written = yield* Effect.result(writeAuditEvents(db, events))
  if (written._tag === "Failure") {
    yield* log.error("audit batch not written; retried with backoff", { reason: written.failure.reason, messages: valid.length })
    for (const message of valid) message.retry({ delaySeconds: auditRetryDelaySeconds(message.attempts) })
    return { written: 0, retried: batch.messages.length }
  }
  for (const message of valid) message.ack()
  return { written: events.length, retried: batch.messages.length - valid.length }
})
