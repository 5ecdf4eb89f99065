/**
 * The audit record of a security-relevant account change — the ONE place
 * identity records one (`notifySecurityChange` and the email change call it):
 * an `AuditTrail` event (identity_audit.ts: `passkey.added`, `totp.enrolled`,
 * `password.changed`, `password.reset_completed`, `email.changed`, …) sent to
 * `AUDIT_QUEUE`, which identity's own consumer writes into D1 `audit_log`.
 * Never fails: the change it records has happened (a failed enqueue is
 * logged by the trail).
 */
import type { SecurityEventOrigin, SecurityEventType } from "@authrim/contracts"
import type { AuditTrail } from "@authrim/audit-trail"
import type { Effect } from "effect"
import { auditSecurityChange } from "./identity_audit.ts"

/** One audited event. */
export interface SecurityEvent {
  readonly event: SecurityEventType
  readonly userId: string
  readonly origin: SecurityEventOrigin
}

/** Records `event` for the audit trail. */
export const securityEvent = (record: SecurityEvent): Effect.Effect<void, never, AuditTrail> => auditSecurityChange(record)
