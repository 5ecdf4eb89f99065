/**
 * Audit events of dynamic registration (issue 11 §2 types): the client's own
 * writes through RFC 7591/7592 (`client.created` / `.updated` / `.deleted`,
 * actor the client itself, or the system for an open registration nobody
 * vouched for) and the admin's initial-access-token actions (`admin.action`).
 * Same shape as identity_audit.ts; never a token, secret or hash prefix long
 * enough to matter — a token is named by the first 12 hex digits of its id.
 */
import { auditEvent, AuditTrail } from "@authrim/audit-trail"
import type { AuditActor } from "@authrim/contracts"
import { Clock, Effect } from "effect"

type Details = Readonly<Record<string, string | number | boolean | null | undefined>>

/** The short, log-friendly name of an initial access token (its id is a SHA-256, not the token). */
export const tokenLabel = (id: string): string => id.slice(0, 12)

/** A client write made through the registration endpoints. */
export const auditRegisteredClientChange = (facts: {
  readonly type: "client.created" | "client.updated" | "client.deleted"
  readonly clientId: string
  /** Open registration: no token vouched for the client, so the system acted. */
  readonly actor: "client" | "system"
  readonly details?: Details
}) =>
  Effect.flatMap(Clock.currentTimeMillis, (at) => AuditTrail.use((trail) => trail.record([auditEvent({
    type: facts.type, at, clientId: facts.clientId, subject: { kind: "client", id: facts.clientId },
    actor: facts.actor === "client" ? { kind: "client", id: facts.clientId } : { kind: "system", id: null },
    details: { via: "dynamic_registration", ...facts.details }
  })])))

/** `admin.action` on an initial access token (`adminUserId` null: the operator's tooling, recorded as the system). */
export const auditInitialAccessTokenAction = (facts: {
  readonly action: "initial_access_token.created" | "initial_access_token.revoked"
  readonly adminUserId: string | null
  readonly tokenId: string | null
  readonly details?: Details
}) => {
  const actor: AuditActor = facts.adminUserId === null ? { kind: "system", id: null } : { kind: "admin", id: facts.adminUserId }
  return Effect.flatMap(Clock.currentTimeMillis, (at) => AuditTrail.use((trail) => trail.record([auditEvent({
    type: "admin.action", at, actor,
    subject: facts.tokenId === null ? null : { kind: "initial_access_token", id: tokenLabel(facts.tokenId) },
    details: { action: facts.action, ...facts.details }
  })])))
}
