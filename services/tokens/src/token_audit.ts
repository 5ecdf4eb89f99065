/**
 * The tokens service's audit events (issue 11 §2), recorded where the fact is
 * known: each grant after it issued, the refresh grant on reuse, the code
 * grant on replay, revocation on a client's request. One `record` per RPC
 * call. The actor is always the client that called the token or revocation
 * endpoint; no token, code or hash is ever put in an event (subjects are
 * family ids and jtis, identifiers that grant nothing).
 */
import { auditEvent, AuditTrail } from "@authrim/audit-trail"
import type { AuditEventInput } from "@authrim/audit-trail"
import { Context, Effect } from "effect"

type Grant = "authorization_code" | "client_credentials" | "device_code" | "token_exchange"

const record = (input: AuditEventInput): Effect.Effect<void, never, AuditTrail> =>
  AuditTrail.use((trail) => trail.record([auditEvent(input)]))

const client = (clientId: string) => ({ kind: "client" as const, id: clientId })

/** `token.issued`: a grant issued an access token (and maybe an ID / refresh token). */
export const auditTokenIssued = (facts: {
  readonly grant: Grant
  readonly clientId: string
  readonly userId: string | null
  readonly scope: string
  readonly dpopBound: boolean
  readonly refreshIssued: boolean
}) =>
  record({
    type: "token.issued", actor: client(facts.clientId), clientId: facts.clientId, userId: facts.userId,
    subject: facts.userId === null ? { kind: "client", id: facts.clientId } : { kind: "user", id: facts.userId },
    details: { grant: facts.grant, scope: facts.scope, dpop: facts.dpopBound ? "yes" : "no", refresh: facts.refreshIssued }
  })

/**
 * Whether routine rotations are audited (`AUDIT_REFRESH_EVENTS=all`; off by default in production).
 * A refresh is the most frequent event there is — about 200 M a month in the 10 M MAU profile, which
 * would be 70 % of all audit events and ≈ $800 a month of queue operations and D1 rows. What a
 * forensic question needs about refresh tokens is recorded regardless: the family's issuance
 * (`token.issued`), its reuse (`refresh.reuse_detected`) and its revocation (`token.revoked`).
 * Development stacks turn it on (scripts/development_settings.ts).
 */
export const AuditRefreshEvents = Context.Reference<boolean>("@authrim/tokens/AuditRefreshEvents", { defaultValue: () => false })

/** `token.refreshed`: a refresh token was rotated and a new access token issued (only with `AUDIT_REFRESH_EVENTS=all`). */
export const auditTokenRefreshed = (facts: {
  readonly clientId: string
  readonly userId: string
  readonly familyId: string
  readonly scope: string
  readonly dpopBound: boolean
}) =>
  Effect.flatMap(AuditRefreshEvents, (on) => !on ? Effect.void : record({
    type: "token.refreshed", actor: client(facts.clientId), clientId: facts.clientId, userId: facts.userId,
    subject: { kind: "refresh_family", id: facts.familyId },
    details: { grant: "refresh_token", scope: facts.scope, dpop: facts.dpopBound ? "yes" : "no" }
  }))

/** `refresh.reuse_detected` (failure): a rotated-out refresh token came back; its family is revoked. */
export const auditRefreshReuse = (facts: { readonly clientId: string; readonly familyId: string; readonly accessRevoked: number }) =>
  record({
    type: "refresh.reuse_detected", outcome: "failure", actor: client(facts.clientId), clientId: facts.clientId,
    subject: { kind: "refresh_family", id: facts.familyId },
    details: { family_revoked: true, access_revoked: facts.accessRevoked }
  })

/** `code.replayed` (failure): an authorization code was presented again; what its first redemption issued is revoked. */
export const auditCodeReplayed = (facts: { readonly clientId: string; readonly familyRevoked: boolean }) =>
  record({
    type: "code.replayed", outcome: "failure", actor: client(facts.clientId), clientId: facts.clientId,
    subject: { kind: "client", id: facts.clientId },
    details: { access_revoked: 1, family_revoked: facts.familyRevoked }
  })

/** `token.revoked`: a client revoked one of its tokens (RFC 7009). */
export const auditTokenRevoked = (facts: {
  readonly clientId: string
  readonly kind: "refresh" | "access"
  readonly id: string
  readonly userId: string | null
}) =>
  record({
    type: "token.revoked", actor: client(facts.clientId), clientId: facts.clientId, userId: facts.userId,
    subject: { kind: facts.kind === "refresh" ? "refresh_family" : "access_jti", id: facts.id },
    details: { kind: facts.kind, by: "client", reason: "revoked_by_client" }
  })

/**
 * `token.revoked` for each refresh family a session's end or a user-wide revocation ended
 * (password change/reset, sign out everywhere, an admin's action), in one message. The actor
 * is the system: the user or admin behind it is recorded by the service that decided it.
 */
export const auditFamiliesRevoked = (
  userId: string,
  families: ReadonlyArray<{ readonly clientId: string; readonly familyId: string }>,
  reason: string
): Effect.Effect<void, never, AuditTrail> =>
  families.length === 0 ? Effect.void : AuditTrail.use((trail) =>
    trail.record(families.map((f) => auditEvent({
      type: "token.revoked", actor: { kind: "system", id: null }, clientId: f.clientId, userId,
      subject: { kind: "refresh_family", id: f.familyId },
      details: { kind: "refresh", by: "system", reason }
    }))))

/**
 * `token.revoked` for a deleted client (issue 12): every refresh family and access token it was issued ended, one
 * event (subject the client; the admin or the client itself behind the deletion is in identity's `client.deleted`).
 */
export const auditClientTokensRevoked = (clientId: string, familiesRevoked: number): Effect.Effect<void, never, AuditTrail> =>
  record({
    type: "token.revoked", actor: { kind: "system", id: null }, clientId,
    subject: { kind: "client", id: clientId },
    details: { kind: "client", by: "system", reason: "client_deleted", families_revoked: familiesRevoked }
  })
