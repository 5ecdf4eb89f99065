/**
 * The audit trail's read side over RPC (issue 11 §2, issue 12 §1), served by
 * the identity service (which owns D1 `audit_log`): filter by user, client,
 * event type and time range, newest first, cursor-paginated.
 */
import { Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { AuditEvent } from "./audit.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** One recorded event as read back (its `type` as stored, so an older or newer type still reads). */
export const AuditEntry = Schema.Struct({
  ...AuditEvent.fields,
  type: Schema.String,
  outcome: Schema.String
})
/** Type of {@link AuditEntry}. */
export type AuditEntry = typeof AuditEntry.Type

/** A query of the trail; every filter optional. Times are epoch ms (`from` inclusive, `to` exclusive). */
export const AuditLogQuery = Schema.Struct({
  userId: Schema.optional(Schema.String),
  clientId: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String),
  from: Schema.optional(Schema.Number),
  to: Schema.optional(Schema.Number),
  cursor: Schema.optional(Schema.String),
  /** 1–200, default 50. */
  limit: Schema.optional(Schema.Number)
})
/** Type of {@link AuditLogQuery}. */
export type AuditLogQuery = typeof AuditLogQuery.Type

/** Method schemas of the audit-log read contract (identity service). */
export const AuditLogContract = {
  /** Matching events, newest first; `nextCursor` null on the last page. */
  queryAuditLog: rpcMethod(
    AuditLogQuery,
    Schema.Struct({ events: Schema.Array(AuditEntry), nextCursor: Schema.NullOr(Schema.String) }),
    Schema.Union([Unavailable])
  ),
  /**
   * How many events of `type` happened each UTC day in [`from`, `to`) (epoch ms): one
   * GROUP BY over the trail (the console's sign-ins per day). Days without events are absent.
   */
  countAuditEventsPerDay: rpcMethod(
    Schema.Struct({ type: Schema.String, from: Schema.Number, to: Schema.Number }),
    Schema.Struct({ days: Schema.Array(Schema.Struct({ day: Schema.String, count: Schema.Number })) }),
    Schema.Union([Unavailable])
  )
} as const
export const AuditLogContractVersion = contractVersion(AuditLogContract, { name: "audit_log", version: 1 })

/** RPC interface of the audit-log read contract. */
export type AuditLogRpc = RpcInterface<typeof AuditLogContract>
