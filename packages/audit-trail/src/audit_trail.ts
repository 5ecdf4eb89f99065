/**
 * `AuditTrail`: records events by sending one queue message per call. The
 * request never waits on D1 (the consumer writes later). A failed enqueue is
 * logged as a structured error line and does not fail the user's request —
 * the event text is in that log line, so Workers Logs still hold it.
 */
import { AUDIT_MESSAGE_VERSION, type AuditBatch, type AuditEvent } from "@authrim/contracts"
import { Context, Effect, Layer } from "effect"

export class AuditTrail extends Context.Service<AuditTrail, {
  readonly record: (events: ReadonlyArray<AuditEvent>) => Effect.Effect<void>
}>()("@authrim/audit-trail/AuditTrail") {}

/** The trail of a worker with `AUDIT_QUEUE` bound (absent: events go to the log only — tests of other things, tools). */
export const auditTrailLayer = (queue: Queue<AuditBatch> | undefined): Layer.Layer<AuditTrail> =>
  Layer.succeed(AuditTrail, {
    record: (events) => {
      if (events.length === 0) return Effect.void
      if (queue === undefined) {
        return Effect.sync(() => console.log(JSON.stringify({ level: "info", msg: "audit (no AUDIT_QUEUE bound)", events })))
      }
      return Effect.tryPromise(() => queue.send({ v: AUDIT_MESSAGE_VERSION, events: [...events] }, { contentType: "json" })).pipe(
        Effect.catch((cause) =>
          Effect.sync(() => console.error(JSON.stringify({ level: "error", msg: "audit enqueue failed", reason: String(cause), events }))))
      )
    }
  })
