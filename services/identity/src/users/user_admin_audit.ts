/**
 * Audit events of user administration (issue 12 §1): every write by an admin
 * is `admin.action` with `details.operation` naming it, the acting admin as
 * actor and the user as subject; a consent revocation is `consent.revoked`.
 * Details hold ids, flags and the names of changed fields — never a value of
 * a password (the `password` detail key would be dropped by `safeAuditDetails` anyway).
 */
import { auditEvent, AuditTrail } from "@authrim/audit-trail"
import type { UserAdminContract, UserAdminRecordedOperation } from "@authrim/contracts"
import { Clock, Effect } from "effect"

/** What an admin did to a user. */
export type UserAdminOperation =
  | "user.created"
  | "user.updated"
  | "user.disabled"
  | "user.enabled"
  | "user.deleted"
  | "user.exported"
  | "user.mfa_reset"
  | UserAdminRecordedOperation

/** `admin.action` about `userId`, by `adminUserId`. */
export const auditUserAdminAction = (facts: {
  readonly adminUserId: string
  readonly userId: string
  readonly operation: UserAdminOperation
  readonly details?: Readonly<Record<string, string | number | boolean | null>>
}) =>
  Effect.flatMap(Clock.currentTimeMillis, (at) =>
    AuditTrail.use((trail) =>
      trail.record([auditEvent({
        type: "admin.action", at, actor: { kind: "admin", id: facts.adminUserId }, userId: facts.userId,
        subject: { kind: "user", id: facts.userId }, details: { operation: facts.operation, ...facts.details }
      })])))

/** `consent.revoked`: an admin withdrew the user's consent for the client. */
export const auditConsentRevokedByAdmin = (facts: { readonly adminUserId: string; readonly userId: string; readonly clientId: string; readonly scope: string }) =>
  Effect.flatMap(Clock.currentTimeMillis, (at) =>
    AuditTrail.use((trail) =>
      trail.record([auditEvent({
        type: "consent.revoked", at, actor: { kind: "admin", id: facts.adminUserId }, userId: facts.userId, clientId: facts.clientId,
        subject: { kind: "client", id: facts.clientId }, details: { scope: facts.scope }
      })])))

/** `recordUserAdminAction`: an admin action the edge carried out elsewhere (sessions), recorded here. */
export const recordUserAdminAction = (input: typeof UserAdminContract.recordUserAdminAction.input.Type) =>
  Effect.as(auditUserAdminAction({
    adminUserId: input.adminUserId, userId: input.userId, operation: input.operation,
    details: { session: input.sessionId ?? null, count: input.count ?? null }
  }), {})
