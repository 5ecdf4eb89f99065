/**
 * The read side of the audit trail (for the admin API, issue 12): filter by
 * user, client, event type and time range, newest first, paginated by an
 * opaque cursor (the last id of the previous page — ids are time-ordered
 * ULIDs, so `id < cursor` is "older than the last row seen").
 */
import { tryD1 } from "@authrim/contracts"
import { Effect } from "effect"
import { idFloor, type AuditRow } from "./audit_archive.ts"

export interface AuditQuery {
  readonly userId?: string | undefined
  readonly clientId?: string | undefined
  readonly type?: string | undefined
  /** Epoch ms, inclusive. */
  readonly from?: number | undefined
  /** Epoch ms, exclusive. */
  readonly to?: number | undefined
  readonly cursor?: string | undefined
  /** 1–200, default 50. */
  readonly limit?: number | undefined
}

export const queryAuditLog = Effect.fnUntraced(function*(db: D1Database, query: AuditQuery) {
  const limit = Math.min(200, Math.max(1, Math.floor(query.limit ?? 50)))
  const where: Array<string> = []
  const params: Array<string | number> = []
  const add = (clause: string, value: string | number | undefined) => {
    if (value === undefined) return
    where.push(clause)
    params.push(value)
  }
  add("user_id = ?", query.userId)
  add("client_id = ?", query.clientId)
  add("action = ?", query.type)
  // ids are ULIDs (time first): a time range is an id range, served by the key or the user/client index
  add("id >= ?", query.from === undefined ? undefined : idFloor(query.from))
  add("id < ?", query.to === undefined ? undefined : idFloor(query.to))
  add("id < ?", query.cursor)
  const sql = `SELECT * FROM audit_log${where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`} ORDER BY id DESC LIMIT ?`
  const { results } = yield* tryD1("identity", "audit_log query", () => db.prepare(sql).bind(...params, limit + 1).all<AuditRow>())
  const page = results.slice(0, limit)
  return { entries: page, nextCursor: results.length > limit ? page[page.length - 1]!.id : null }
})

/** Events of `type` per UTC day in [`from`, `to`): one GROUP BY over the key range of the time window (ids are ULIDs). */
export const countAuditEventsPerDay = Effect.fnUntraced(function*(db: D1Database, query: { readonly type: string; readonly from: number; readonly to: number }) {
  const sql = "SELECT CAST(created_at / 86400000 AS INTEGER) AS day, COUNT(*) AS count FROM audit_log WHERE action = ? AND id >= ? AND id < ? GROUP BY day ORDER BY day"
  const { results } = yield* tryD1("identity", "audit_log per day", () =>
    db.prepare(sql).bind(query.type, idFloor(query.from), idFloor(query.to)).all<{ day: number; count: number }>())
  return { days: results.map((row) => ({ day: new Date(row.day * 86_400_000).toISOString().slice(0, 10), count: row.count })) }
})
