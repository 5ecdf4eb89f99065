/**
 * The `rate_limit_counters` table of one `RateLimiterCounter` shard and the
 * statements on it. Every function here is synchronous on purpose: the
 * Durable Object runs one of them per request with no `await` in between, so
 * no other request can interleave between reading a count and writing it.
 * The increment itself is a single upsert, atomic even on its own.
 */
import type { RateLimitCheck, RateLimitDecision } from "@authrim/contracts/ratelimit"

/** Creates the table (idempotent; run on every instance start). */
export const createCounterTable = (sql: SqlStorage): void => {
  sql.exec(`CREATE TABLE IF NOT EXISTS rate_limit_counters (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    reset_at INTEGER NOT NULL,
    first_request_at INTEGER NOT NULL
  ) WITHOUT ROWID`)
  sql.exec("CREATE INDEX IF NOT EXISTS rate_limit_counters_reset_at ON rate_limit_counters (reset_at)")
}

type CounterRow = { count: number; reset_at: number; first_request_at: number }

/**
 * Counts one request (`cost` of them, default 1) for `key` at `now` (epoch ms) and decides it.
 * A window is fixed: it opens at the first request after the previous one
 * ended and lasts `windowSeconds`; `resetAt` is when it ends. Denied requests
 * that reach the counter are counted too (`current` keeps rising); the edge
 * answers later ones of the same window from memory (known_refusals.ts).
 * A caller that changes `windowSeconds` mid-window keeps the running window.
 */
export const countRequest = (sql: SqlStorage, check: RateLimitCheck, now: number): RateLimitDecision => {
  const cost = check.cost ?? 1
  if (cost === 0) return peekRequest(sql, check, now)
  // Inside a live window only `count` changes: an UPDATE that leaves the indexed `reset_at` out of its SET
  // writes one row, where the upsert below writes the row and its index entry (DO storage bills both).
  const live = sql.exec<CounterRow>(
    "UPDATE rate_limit_counters SET count = count + ? WHERE key = ? AND reset_at > ? RETURNING count, reset_at, first_request_at",
    cost, check.key, now
  ).toArray()[0]
  const row = live ?? openWindow(sql, check.key, cost, now, now + check.windowSeconds * 1000)
  return decide(row.count, row.count <= check.limit, check.limit, row.reset_at, now)
}

/** A new window for `key` (first request ever, or the previous window has ended). */
const openWindow = (sql: SqlStorage, key: string, cost: number, now: number, resetAt: number): CounterRow =>
  sql.exec<CounterRow>(
    `INSERT INTO rate_limit_counters (key, count, reset_at, first_request_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET count = excluded.count, reset_at = excluded.reset_at, first_request_at = excluded.first_request_at
     RETURNING count, reset_at, first_request_at`,
    key, cost, resetAt, now
  ).one()

/**
 * Reads the window of `key` without counting (`cost: 0`): allowed when one
 * more counted request would still be admitted. Writes nothing — no row for
 * an unseen key, no alarm. A window that has ended reads as empty, with the
 * `resetAt` a window opened now would get.
 */
export const peekRequest = (sql: SqlStorage, check: RateLimitCheck, now: number): RateLimitDecision => {
  const row = sql.exec<CounterRow>(
    "SELECT count, reset_at, first_request_at FROM rate_limit_counters WHERE key = ? AND reset_at > ?",
    check.key, now
  ).toArray()[0]
  const current = row?.count ?? 0
  return decide(current, current + 1 <= check.limit, check.limit, row?.reset_at ?? now + check.windowSeconds * 1000, now)
}

const decide = (current: number, allowed: boolean, limit: number, resetAt: number, now: number): RateLimitDecision => ({
  allowed,
  current,
  limit,
  resetAt,
  retryAfter: allowed ? 0 : Math.max(1, Math.ceil((resetAt - now) / 1000))
})

/** Deletes every key whose window has ended by `now`; returns how many went. */
export const deleteEndedWindows = (sql: SqlStorage, now: number): number =>
  sql.exec("DELETE FROM rate_limit_counters WHERE reset_at <= ? RETURNING key", now).toArray().length

/** When the earliest live window ends (epoch ms), or `null` when the shard is empty. */
export const earliestResetAt = (sql: SqlStorage): number | null =>
  sql.exec<{ next: number | null }>("SELECT MIN(reset_at) AS next FROM rate_limit_counters").one().next

/** Number of keys the shard holds (live or not yet swept). */
export const countKeys = (sql: SqlStorage): number =>
  sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM rate_limit_counters").one().n
