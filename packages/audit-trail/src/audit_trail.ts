/**
 * `AuditTrail`: records events by sending one queue message per call. The
 * request never waits on D1 (the consumer writes later). A failed enqueue is
 * logged as a structured error line and does not fail the user's request —
 * the event text is in that log line, so Workers Logs still hold it.
 * The request's id, IP and user agent come from `CurrentRequest` (carried
 * over every RPC hop from the edge) unless the event names its own.
 */
import { AUDIT_MESSAGE_VERSION, CurrentRequest, logger, type AuditBatch, type AuditEvent, type RequestMeta } from "@authrim/contracts"
import { Context, Effect, Layer } from "effect"

export class AuditTrail extends Context.Service<AuditTrail, {
  readonly record: (events: ReadonlyArray<AuditEvent>) => Effect.Effect<void>
}>()("@authrim/audit-trail/AuditTrail") {}

/** The trail of a worker with `AUDIT_QUEUE` bound (absent: events go to the log only — tests of other things, tools). */
export const auditTrailLayer = (queue: Queue<AuditBatch> | undefined): Layer.Layer<AuditTrail> =>
  Layer.succeed(AuditTrail, auditTrailOf(queue))

/** The same trail as a service value, for a Durable Object that provides its services in its own `run` helper. */
export const auditTrailOf = (queue: Queue<AuditBatch> | undefined): (typeof AuditTrail)["Service"] => ({
  record: (given) => {
    if (given.length === 0) return Effect.void
    return Effect.flatMap(CurrentRequest, (request) => send(queue, given.map((event) => withRequest(event, request))))
  }
})

const withRequest = (event: AuditEvent, request: RequestMeta | null): AuditEvent =>
  request === null ? event : {
    ...event,
    ip: event.ip ?? request.ip,
    userAgent: event.userAgent ?? request.userAgent,
    requestId: event.requestId ?? request.requestId
  }

const log = logger("audit-trail")

const send = (queue: Queue<AuditBatch> | undefined, events: ReadonlyArray<AuditEvent>): Effect.Effect<void> =>
  queue === undefined
    ? log.info("audit (no AUDIT_QUEUE bound)", { events })
    : Effect.tryPromise(() => queue.send({ v: AUDIT_MESSAGE_VERSION, events: [...events] }, { contentType: "json" })).pipe(
      Effect.catch((cause) => log.error("audit enqueue failed", { reason: String(cause), events }))
    )
