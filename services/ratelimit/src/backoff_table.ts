/**
 * The `rate_limit_backoffs` table of one `RateLimiterCounter` shard: a
 * progressive delay per key (issue 9 §4: failed passwords per account slow
 * down, they never lock the owner out). Like `counter_table.ts`, every
 * function is synchronous: the Durable Object runs one per call with no
 * `await` in between, and a failure is one upsert, so N concurrent failures
 * count exactly N.
 */
import type { BackoffCheck, BackoffDecision } from "@authrim/contracts/ratelimit"

/** Creates the table (idempotent; run on every instance start). */
export const createBackoffTable = (sql: SqlStorage): void => {
  sql.exec(`CREATE TABLE IF NOT EXISTS rate_limit_backoffs (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    not_before INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID`)
  sql.exec("CREATE INDEX IF NOT EXISTS rate_limit_backoffs_expires_at ON rate_limit_backoffs (expires_at)")
}

type BackoffRow = { failures: number; not_before: number; expires_at: number }

/** Delay (ms) owed after the `failures`-th consecutive failure. */
export const backoffDelayMs = (check: BackoffCheck, failures: number): number => {
  const beyond = failures - check.freeFailures
  if (beyond <= 0) return 0
  // 2^(beyond-1) overflows nothing before the cap: the exponent is clamped at 40 (≈ 35,000 years of seconds).
  return Math.min(check.baseSeconds * 2 ** Math.min(beyond - 1, 40), check.maxSeconds) * 1000
}

const decide = (failures: number, notBefore: number, now: number): BackoffDecision => {
  const allowed = now >= notBefore
  return { allowed, failures, notBefore, retryAfter: allowed ? 0 : Math.max(1, Math.ceil((notBefore - now) / 1000)) }
}

/** The live record of `key` (one whose `expires_at` has not passed), or none. */
const liveRow = (sql: SqlStorage, key: string, now: number): BackoffRow | undefined =>
  sql.exec<BackoffRow>("SELECT failures, not_before, expires_at FROM rate_limit_backoffs WHERE key = ? AND expires_at > ?", key, now).toArray()[0]

/**
 * Applies `check.step` at `now` (epoch ms). `fail` reads the live count and
 * writes count + 1 in the same synchronous step (a record past `expires_at`
 * restarts at 1); `notBefore` is `now + delay(failures)`, and the record
 * lives `forgetSeconds` past that.
 */
export const stepBackoff = (sql: SqlStorage, check: BackoffCheck, now: number): BackoffDecision => {
  if (check.step === "clear") {
    sql.exec("DELETE FROM rate_limit_backoffs WHERE key = ?", check.key)
    return decide(0, 0, now)
  }
  const row = liveRow(sql, check.key, now)
  if (check.step === "peek") return row === undefined ? decide(0, 0, now) : decide(row.failures, row.not_before, now)
  const failures = (row?.failures ?? 0) + 1
  const notBefore = now + backoffDelayMs(check, failures)
  const expiresAt = notBefore + check.forgetSeconds * 1000
  sql.exec(
    `INSERT INTO rate_limit_backoffs (key, failures, not_before, expires_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, not_before = excluded.not_before, expires_at = excluded.expires_at`,
    check.key, failures, notBefore, expiresAt
  )
  return decide(failures, notBefore, now)
}

/** Deletes every record forgotten by `now`; returns how many went. */
export const deleteForgottenBackoffs = (sql: SqlStorage, now: number): number =>
  sql.exec("DELETE FROM rate_limit_backoffs WHERE expires_at <= ? RETURNING key", now).toArray().length

/** When the earliest record is forgotten (epoch ms), or `null` when there is none. */
export const earliestBackoffExpiry = (sql: SqlStorage): number | null =>
  sql.exec<{ next: number | null }>("SELECT MIN(expires_at) AS next FROM rate_limit_backoffs").one().next
