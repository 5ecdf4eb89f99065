/**
 * The audit record of a security-relevant account change — the ONE place
 * identity records one. Until the audit queue exists (DESIGN §2
 * `AUDIT_QUEUE`, issue 11) it is one structured JSON log line:
 * `{"audit":"security_event","event":…,"userId":…,"sessionId":…,"ip":…,"at":…}`
 * (`at` epoch ms). Swapping this body for a queue send changes no caller.
 */
import type { SecurityEventOrigin, SecurityEventType } from "@authrim/contracts"
import { Clock, Effect } from "effect"

/** One audited event. */
export interface SecurityEvent {
  readonly event: SecurityEventType
  readonly userId: string
  readonly origin: SecurityEventOrigin
}

/** Records `event` for the audit trail (never fails: the change it records has happened). */
export const securityEvent = Effect.fnUntraced(function*(record: SecurityEvent): Effect.fn.Return<void> {
  const at = yield* Clock.currentTimeMillis
  console.log(JSON.stringify({
    audit: "security_event",
    event: record.event,
    userId: record.userId,
    sessionId: record.origin.sessionId,
    ip: record.origin.ipAddress,
    at
  }))
})
