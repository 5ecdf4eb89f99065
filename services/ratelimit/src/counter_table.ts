/**
 * The `rate_limit_counters` table of one `RateLimiterCounter` shard: the windows worth keeping
 * across a restart (`persistence_rule.ts`). Every function is synchronous: the Durable Object
 * runs them inside one step with no `await` in between.
 */

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

/** A stored window. */
export type CounterRow = { count: number; reset_at: number; first_request_at: number }

/** The stored window of `key` that is still running at `now`, or none. */
export const readLiveWindow = (sql: SqlStorage, key: string, now: number): CounterRow | undefined =>
  sql.exec<CounterRow>(
    "SELECT count, reset_at, first_request_at FROM rate_limit_counters WHERE key = ? AND reset_at > ?",
    key, now
  ).toArray()[0]

/** Stores a window the table has no row for yet (or only an ended one): the row and its `reset_at` index entry. */
export const storeWindow = (sql: SqlStorage, key: string, window: { count: number; resetAt: number; firstRequestAt: number }): void => {
  sql.exec(
    `INSERT INTO rate_limit_counters (key, count, reset_at, first_request_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET count = excluded.count, reset_at = excluded.reset_at, first_request_at = excluded.first_request_at`,
    key, window.count, window.resetAt, window.firstRequestAt
  )
}

/**
 * Stores a new count of a window that has its row: ONE row written, since the indexed
 * `reset_at` is not in the SET (DO storage bills the row and every index entry it touches).
 */
export const storeCount = (sql: SqlStorage, key: string, count: number): void => {
  sql.exec("UPDATE rate_limit_counters SET count = ? WHERE key = ?", count, key)
}

/** Deletes every key whose window has ended by `now`; returns how many went. */
export const deleteEndedWindows = (sql: SqlStorage, now: number): number =>
  sql.exec("DELETE FROM rate_limit_counters WHERE reset_at <= ? RETURNING key", now).toArray().length

/** When the earliest stored window ends (epoch ms), or `null` when the shard stores none. */
export const earliestResetAt = (sql: SqlStorage): number | null =>
  sql.exec<{ next: number | null }>("SELECT MIN(reset_at) AS next FROM rate_limit_counters").one().next

/** Number of keys the shard stores (live or not yet swept). */
export const countKeys = (sql: SqlStorage): number =>
  sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM rate_limit_counters").one().n
