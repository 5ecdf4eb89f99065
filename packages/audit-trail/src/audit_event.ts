/** Building an audit event: id, time and nulls filled in, details made secret-free. */
import { safeAuditDetails, type AuditActor, type AuditEvent, type AuditEventType } from "@authrim/contracts"
import { ulid } from "@authrim/platform"

/** Who/what/where of a request, as the edge forwards it (all optional). */
export interface AuditRequestContext {
  readonly ip?: string | null | undefined
  readonly userAgent?: string | null | undefined
  readonly requestId?: string | null | undefined
}

export interface AuditEventInput extends AuditRequestContext {
  readonly type: AuditEventType
  readonly actor: AuditActor
  readonly outcome?: "success" | "failure"
  readonly subject?: { readonly kind: string; readonly id: string } | null
  readonly userId?: string | null | undefined
  readonly clientId?: string | null | undefined
  readonly details?: Readonly<Record<string, string | number | boolean | null | undefined>>
  /** Epoch ms; defaults to now. */
  readonly at?: number
}

export const auditEvent = (input: AuditEventInput): AuditEvent => {
  const at = input.at ?? Date.now()
  return {
    id: ulid(at),
    at,
    type: input.type,
    actor: input.actor,
    subject: input.subject ?? null,
    userId: input.userId ?? null,
    clientId: input.clientId ?? null,
    ip: input.ip ?? null,
    userAgent: input.userAgent ?? null,
    requestId: input.requestId ?? null,
    outcome: input.outcome ?? "success",
    details: safeAuditDetails(input.details ?? {})
  }
}
