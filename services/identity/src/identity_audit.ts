/**
 * The identity service's audit events (issue 11 §2), recorded where the fact
 * is known and sent through `AuditTrail` (one queue message; the request's id,
 * IP and user agent come from `CurrentRequest`). One `record` per RPC call.
 *
 * Never a password, token, link secret, code, hash or TOTP value in an event:
 * details hold methods, reasons, ids and amr/acr only (and `safeAuditDetails`
 * drops any key that names a secret). The log is operator-only, so a failed
 * sign-in says WHY (`unknown_user`, `wrong_password`, …) and which address was
 * tried — the user never sees this distinction.
 */
import { auditEvent, AuditTrail, type AuditEventInput } from "@authrim/audit-trail"
import { CurrentRequest, type AuditEventType, type SecurityEventOrigin, type SecurityEventType } from "@authrim/contracts"
import { Clock, Effect } from "effect"

/** One event, timed by the Clock (a test's clock too), as this call's one queue message. */
const record = (input: AuditEventInput): Effect.Effect<void, never, AuditTrail> =>
  Effect.flatMap(Clock.currentTimeMillis, (at) => AuditTrail.use((trail) => trail.record([auditEvent({ ...input, at })])))

const user = (userId: string) => ({ kind: "user" as const, id: userId })

export type SignInMethod = "password" | "passkey" | "magic_link" | "upstream"

/** `sign_in.succeeded`: a first factor proved who the user is (amr/acr when this service knows them). */
export const auditSignInSucceeded = (facts: {
  readonly method: SignInMethod
  readonly userId: string
  readonly amr?: ReadonlyArray<string>
  readonly acr?: string | null
  readonly details?: Readonly<Record<string, string | number | boolean | null>>
}) =>
  record({
    type: "sign_in.succeeded", actor: user(facts.userId), userId: facts.userId, subject: user(facts.userId),
    details: { method: facts.method, amr: facts.amr === undefined ? undefined : facts.amr.join(" "), acr: facts.acr ?? undefined, ...facts.details }
  })

/** `sign_in.failed`: the reason (operator-only), the user when known, the address tried for a password. */
export const auditSignInFailed = (facts: {
  readonly method: SignInMethod
  readonly reason: string
  readonly userId?: string | null
  readonly email?: string | null
}) => {
  const userId = facts.userId ?? null
  return record({
    type: "sign_in.failed", outcome: "failure", actor: { kind: "user", id: userId }, userId,
    subject: userId === null ? null : user(userId),
    details: { method: facts.method, reason: facts.reason, email: facts.email ?? undefined }
  })
}

/**
 * Why a sign-in attempt failed, from its typed failure; null for `Unavailable`
 * (our storage failed: not the user's attempt failing, so nothing is recorded).
 */
export const failureReason = (error: { readonly _tag: string }): string | null => {
  if (error._tag === "Unavailable") return null
  if ("reason" in error && typeof error.reason === "string") return error.reason
  if ("code" in error && typeof error.code === "string") return error.code
  if (error._tag === "NotFound") return "not_found"
  if (error._tag === "MagicLinkWrongBrowser") return "wrong_browser"
  return error._tag
}

/** `sign_in.failed` for a failure of a sign-in program (nothing for `Unavailable`). */
export const auditSignInFailure = (method: SignInMethod) => (error: { readonly _tag: string }) => {
  const reason = failureReason(error)
  return reason === null ? Effect.void : auditSignInFailed({ method, reason })
}

/** `second_factor.succeeded` / `.failed` (TOTP or a recovery code; never the value typed). */
export const auditSecondFactor = (facts: {
  readonly userId: string
  readonly method: "totp" | "recovery_code"
  readonly outcome: "success" | "failure"
  readonly reason?: string
  readonly recoveryCodesLeft?: number
}) =>
  record({
    type: facts.outcome === "success" ? "second_factor.succeeded" : "second_factor.failed",
    outcome: facts.outcome, actor: user(facts.userId), userId: facts.userId, subject: user(facts.userId),
    details: { method: facts.method, reason: facts.reason, recovery_left: facts.recoveryCodesLeft }
  })

/** `consent.granted`: the scopes the user granted the client in this call. */
export const auditConsentGranted = (facts: { readonly userId: string; readonly clientId: string; readonly scopes: ReadonlyArray<string> }) =>
  record({
    type: "consent.granted", actor: user(facts.userId), userId: facts.userId, clientId: facts.clientId,
    subject: { kind: "client", id: facts.clientId }, details: { scope: facts.scopes.join(" ") }
  })

/** `password.reset_requested`: a reset link was mailed to a known account (unknown addresses record nothing). */
export const auditPasswordResetRequested = (userId: string) =>
  record({ type: "password.reset_requested", actor: user(userId), userId, subject: user(userId), details: {} })

/** The audit type of each account-security change (`notifySecurityChange`'s and the email change's events). */
const securityAuditType: Record<SecurityEventType, AuditEventType> = {
  passkey_added: "passkey.added",
  passkey_removed: "passkey.removed",
  totp_enabled: "totp.enrolled",
  totp_disabled: "totp.removed",
  recovery_codes_regenerated: "recovery_codes.regenerated",
  password_changed: "password.changed",
  password_reset: "password.reset_completed",
  email_change_requested: "email.change_requested",
  email_changed: "email.changed"
}

/** An account-security change, by the user it concerns (`sessionId` null for a reset link). */
export const auditSecurityChange = (facts: { readonly event: SecurityEventType; readonly userId: string; readonly origin: SecurityEventOrigin }) =>
  record({
    type: securityAuditType[facts.event], actor: user(facts.userId), userId: facts.userId, subject: user(facts.userId),
    // The edge's cf-connecting-ip is the fallback when the call carried no request (an older edge).
    ip: facts.origin.ipAddress ?? undefined,
    details: { session: facts.origin.sessionId }
  })

export type ClientChange = "client.created" | "client.updated" | "client.secret_rotated"

/**
 * A client write. The actor is an admin when the call came through the edge
 * (it carries a request: the admin API), else the system (seed, tools).
 */
export const auditClientChange = (facts: {
  readonly type: ClientChange | "client.deleted"
  readonly clientId: string
  readonly details?: Readonly<Record<string, string | number | boolean | null>>
  /** The admin API's acting admin (a user id); absent: an admin over the edge without one, or the system. */
  readonly actorId?: string
}) =>
  Effect.flatMap(CurrentRequest, (request) =>
    record({
      type: facts.type,
      actor: facts.actorId !== undefined ? { kind: "admin", id: facts.actorId } : { kind: request === null ? "system" : "admin", id: null },
      clientId: facts.clientId, subject: { kind: "client", id: facts.clientId }, details: facts.details ?? {}
    }))

/** `avatar.changed` / `avatar.removed`: by the user (account page) or an admin (console). */
export const auditAvatarChange = (
  userId: string,
  actor: { readonly kind: "user" | "admin"; readonly id: string },
  type: "avatar.changed" | "avatar.removed",
  details: Readonly<Record<string, string | number>>
) => record({ type, actor, userId, subject: user(userId), details })

/**
 * `admin.action`: an admin changed something that has no event type of its own
 * (a role, a user's roles). `details.action` says what (`role.created`,
 * `user_role.assigned`, …); the subject is the record changed.
 */
export const auditAdminAction = (facts: {
  readonly actorId: string
  readonly action: string
  readonly subject: { readonly kind: string; readonly id: string }
  readonly userId?: string | null
  readonly details?: Readonly<Record<string, string | number | boolean | null>>
}) =>
  record({
    type: "admin.action", actor: { kind: "admin", id: facts.actorId }, userId: facts.userId ?? null,
    subject: facts.subject, details: { action: facts.action, ...facts.details }
  })

/** A settings write (`admin.action`, action `settings.updated`): who, the new version and which fields. */
export const auditSettingsChange = (facts: { readonly adminUserId: string | null; readonly version: number; readonly fields: string }) =>
  record({
    type: "admin.action",
    actor: { kind: facts.adminUserId === null ? "system" : "admin", id: facts.adminUserId },
    subject: { kind: "settings", id: "system_settings" },
    details: { action: "settings.updated", version: facts.version, fields: facts.fields }
  })

/** A branding write (`admin.action`, `branding.updated`): the acting admin, the new version and the changed field names. */
export const auditBrandingChange = (facts: { readonly adminUserId: string | null; readonly version: number; readonly fields: string }) =>
  record({
    type: "admin.action",
    actor: { kind: facts.adminUserId === null ? "system" : "admin", id: facts.adminUserId },
    subject: { kind: "settings", id: "branding" },
    details: { action: "branding.updated", version: facts.version, fields: facts.fields }
  })

/** A profile edit (`profile.updated`): the actor is the user themself or the admin who made it; the changed claim names, never values. */
export const auditProfileChange = (facts: { readonly editor: { readonly kind: "user" | "admin" | "system"; readonly id: string | null }; readonly userId: string; readonly fields: string }) =>
  record({
    type: "profile.updated", actor: facts.editor, userId: facts.userId, subject: user(facts.userId),
    details: { fields: facts.fields, by: facts.editor.kind === "user" && facts.editor.id === facts.userId ? "self" : facts.editor.kind }
  })
