/** `/audit-events`: the audit trail (issue 11 §2), newest first, filtered and cursor-paginated; needs `audit:read`. */
import { AuditEntry } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { adminOperation } from "./admin_operation.ts"
import { listLimit } from "./admin_list_query.ts"

const EpochMs = Schema.String.check(Schema.isPattern(/^\d{1,15}$/u, { description: "epoch milliseconds" }))

const AuditQuery = Schema.Struct({
  userId: Schema.optional(Schema.String.check(Schema.isMaxLength(200))),
  clientId: Schema.optional(Schema.String.check(Schema.isMaxLength(200))),
  type: Schema.optional(Schema.String.check(Schema.isMaxLength(100))),
  /** Inclusive. */
  from: Schema.optional(EpochMs),
  /** Exclusive. */
  to: Schema.optional(EpochMs),
  cursor: Schema.optional(Schema.String.check(Schema.isMaxLength(100))),
  limit: Schema.optional(Schema.String.check(Schema.isPattern(/^(?:[1-9]\d?|1\d\d|200)$/u, { description: "an integer from 1 to 200" })))
})

const AuditPage = Schema.Struct({ events: Schema.Array(AuditEntry), nextCursor: Schema.NullOr(Schema.String) })

export const auditOperations = [
  adminOperation({
    method: "GET", path: "/audit-events", operationId: "queryAuditEvents", summary: "Query the audit trail", tag: "audit",
    permission: "audit:read", ifMatch: false, query: AuditQuery,
    success: { status: 200, description: "Matching events, newest first", schema: AuditPage },
    handle: Effect.fnUntraced(function*({ query }) {
      const { adminBackends } = yield* Edge
      const { from, to, limit: _limit, ...filters } = query
      const page = yield* adminBackends.auditLog.queryAuditLog({
        ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
        ...(from === undefined ? {} : { from: Number(from) }),
        ...(to === undefined ? {} : { to: Number(to) }),
        limit: listLimit(query)
      })
      return { status: 200, body: page }
    })
  })
]
