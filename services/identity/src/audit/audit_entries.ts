/** `queryAuditLog` (contracts/src/audit_log_read.ts): the trail's rows as contract entries. */
import { AuditActor, type AuditEntry, type AuditLogQuery } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { IdentityBindings } from "../identity_bindings.ts"
import type { AuditRow } from "./audit_archive.ts"
import { countAuditEventsPerDay as countRows, queryAuditLog as queryRows } from "./audit_query.ts"

const actorKind = Schema.is(AuditActor.fields.kind)

const detailsOf = (metadata: string | null): AuditEntry["details"] => {
  try {
    const parsed: unknown = JSON.parse(metadata ?? "{}")
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {}
    const details: Record<string, string | number | boolean | null> = {}
    for (const [key, value] of Object.entries(parsed)) {
      if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") details[key] = value
    }
    return details
  } catch {
    return {}
  }
}

/** One row as an entry (an unknown actor kind reads as "system"). */
export const entryFromRow = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.created_at,
  type: row.action,
  actor: { kind: actorKind(row.actor_type) ? row.actor_type : "system", id: row.actor_id },
  subject: row.resource_type === null || row.resource_id === null ? null : { kind: row.resource_type, id: row.resource_id },
  userId: row.user_id,
  clientId: row.client_id,
  ip: row.ip,
  userAgent: row.user_agent,
  requestId: row.request_id,
  outcome: row.outcome,
  details: detailsOf(row.metadata)
})

/** Matching events, newest first. */
export const queryAuditLog = Effect.fnUntraced(function*(query: AuditLogQuery) {
  const { db } = yield* IdentityBindings
  const { entries, nextCursor } = yield* queryRows(db, query)
  return { events: entries.map(entryFromRow), nextCursor }
})

/** Events of a type per UTC day (the console's sign-ins per day). */
export const countAuditEventsPerDay = Effect.fnUntraced(function*(query: { readonly type: string; readonly from: number; readonly to: number }) {
  const { db } = yield* IdentityBindings
  return yield* countRows(db, query)
})
