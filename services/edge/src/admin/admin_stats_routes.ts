/**
 * `/stats/sign-ins`: successful sign-ins per UTC day over the last `days` days (default
 * 14, at most 90), today included, every day present (0 when none) — counted from the
 * audit trail by one GROUP BY in identity. Needs `audit:read`. The console's dashboard.
 * `/stats/sessions`: the number of live sessions (one indexed COUNT over the session
 * service's D1 copy, contracts/src/session_stats.ts). Needs `users:read`.
 */
import { Clock, Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { adminOperation } from "./admin_operation.ts"

const DAY_MS = 86_400_000

const StatsQuery = Schema.Struct({
  days: Schema.optional(Schema.String.check(Schema.isPattern(/^(?:[1-9]|[1-8]\d|90)$/u, { description: "an integer from 1 to 90" })))
})

const SignInsPerDay = Schema.Struct({
  days: Schema.Array(Schema.Struct({ day: Schema.String.annotate({ description: "YYYY-MM-DD (UTC)" }), count: Schema.Number }))
})

const ActiveSessions = Schema.Struct({
  active: Schema.Number.annotate({ description: "Sessions not yet expired nor ended" }),
  at: Schema.Number.annotate({ description: "When counted (epoch ms)" })
})

export const statsOperations = [
  adminOperation({
    method: "GET", path: "/stats/sessions", operationId: "activeSessions", summary: "The number of live sessions", tag: "sessions",
    permission: "users:read", ifMatch: false,
    success: { status: 200, description: "The count", schema: ActiveSessions },
    handle: Effect.fnUntraced(function*() {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.sessionStats.countActiveSessions({}) }
    })
  }),
  adminOperation({
    method: "GET", path: "/stats/sign-ins", operationId: "signInsPerDay", summary: "Successful sign-ins per UTC day (from the audit trail)", tag: "audit",
    permission: "audit:read", ifMatch: false, query: StatsQuery,
    success: { status: 200, description: "One entry per day, oldest first", schema: SignInsPerDay },
    handle: Effect.fnUntraced(function*({ query }) {
      const { adminBackends } = yield* Edge
      const days = query.days === undefined ? 14 : Number(query.days)
      const now = yield* Clock.currentTimeMillis
      const from = (Math.floor(now / DAY_MS) - days + 1) * DAY_MS
      const counted = yield* adminBackends.auditLog.countAuditEventsPerDay({ type: "sign_in.succeeded", from, to: now + 1 })
      const byDay = new Map(counted.days.map((d) => [d.day, d.count]))
      return {
        status: 200,
        body: {
          days: Array.from({ length: days }, (_, i) => {
            const day = new Date(from + i * DAY_MS).toISOString().slice(0, 10)
            return { day, count: byDay.get(day) ?? 0 }
          })
        }
      }
    })
  })
]
