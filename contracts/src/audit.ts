/**
 * Audit trail contract (issue 11 §2): the message every service puts on
 * `AUDIT_QUEUE` and identity's consumer writes into D1 `audit_log`. A message
 * is a batch of events of one request (`AuditBatch`); each event has its own
 * ULID, so a redelivered batch inserts nothing twice.
 *
 * An event never carries a secret, token, code or password: `details` holds
 * only scalars, and `auditEvent` drops any detail whose key names a secret
 * (tests pin it), so a careless caller cannot leak one into the log.
 */
import { Schema } from "effect"

/** Version of the queue message; the consumer accepts this and older ones. */
export const AUDIT_MESSAGE_VERSION = 1

/** Every event type the trail records, by owning service. */
export const AuditEventType = Schema.Literals([
  // identity
  "sign_in.succeeded", "sign_in.failed", "second_factor.succeeded", "second_factor.failed",
  "consent.granted", "consent.revoked",
  "password.changed", "password.reset_requested", "password.reset_completed", "email.change_requested", "email.changed",
  "passkey.added", "passkey.removed", "totp.enrolled", "totp.removed", "recovery_codes.regenerated",
  "avatar.changed", "avatar.removed",
  "client.created", "client.updated", "client.deleted", "client.secret_rotated", "admin.action",
  // identity (issue 12 §4): a profile edit; the actor says whether the user or an admin made it
  "profile.updated",
  // tokens
  "token.issued", "token.refreshed", "token.revoked", "refresh.reuse_detected", "code.replayed",
  // session
  "session.started", "session.ended", "logout",
  // ratelimit (sampled)
  "rate_limit.refused",
  // keys
  "key.rotated"
])
export type AuditEventType = typeof AuditEventType.Type

/** Who acted. */
export const AuditActor = Schema.Struct({
  kind: Schema.Literals(["user", "client", "admin", "system"]),
  id: Schema.NullOr(Schema.String)
})
export type AuditActor = typeof AuditActor.Type

/** A small, secret-free details object. */
export const AuditDetails = Schema.Record(Schema.String, Schema.Union([Schema.String, Schema.Number, Schema.Boolean, Schema.Null]))
export type AuditDetails = typeof AuditDetails.Type

export const AuditEvent = Schema.Struct({
  /** ULID: time-ordered, the row's primary key. */
  id: Schema.String,
  /** Epoch ms. */
  at: Schema.Number,
  type: AuditEventType,
  actor: AuditActor,
  /** What the event is about (a user, client, session, key…), when not the actor itself. */
  subject: Schema.NullOr(Schema.Struct({ kind: Schema.String, id: Schema.String })),
  /** The user concerned, for "everything about this user" queries. */
  userId: Schema.NullOr(Schema.String),
  /** The client concerned. */
  clientId: Schema.NullOr(Schema.String),
  ip: Schema.NullOr(Schema.String),
  userAgent: Schema.NullOr(Schema.String),
  requestId: Schema.NullOr(Schema.String),
  outcome: Schema.Literals(["success", "failure"]),
  details: AuditDetails
})
export type AuditEvent = typeof AuditEvent.Type

/** One queue message: the events of one request. */
export const AuditBatch = Schema.Struct({
  v: Schema.Number,
  events: Schema.Array(AuditEvent)
})
export type AuditBatch = typeof AuditBatch.Type

/** Detail keys that could hold a secret: such details are dropped, never logged. */
const SECRET_KEY = /token|secret|password|passcode|otp|code|assertion|cookie|credential|private|key$/i

/** Details with every secret-looking key removed and long strings cut to 200 characters. */
export const safeAuditDetails = (details: Readonly<Record<string, string | number | boolean | null | undefined>>): AuditDetails => {
  const out: Record<string, string | number | boolean | null> = {}
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined || SECRET_KEY.test(key)) continue
    out[key] = typeof value === "string" && value.length > 200 ? value.slice(0, 200) : value
  }
  return out
}
