/**
 * The daily purge of identity's expired D1 rows (issue 11 §3; run by the
 * 02:00 UTC cron beside the audit archive). Each table is also trimmed on the
 * request path for the user at hand; this catches the rows of users who never
 * come back: password-reset and email-change tokens and initial-access-token marks past `expires_at` (used or
 * not — a used one is worthless after expiry too) and development-outbox mail
 * older than its retention. Bounded: 1,000 rows per statement, at most 50
 * statements per table per run; the rest waits a day.
 */
import { tryD1 } from "@authrim/contracts"
import { Effect } from "effect"
import { OUTBOX_RETENTION_MS } from "./email/email_sender.ts"

const CHUNK = 1_000
const MAX_CHUNKS = 50

/** Each purge: the table, its primary key (email_change_tokens has no rowid) and the condition on its indexed time column. */
const purges = (now: number) => [
  { table: "password_reset_tokens", key: "token_hash", where: "expires_at <= ?", bound: now },
  { table: "email_change_tokens", key: "token_hash", where: "expires_at <= ?", bound: now },
  { table: "initial_access_token_marks", key: "token_id", where: "expires_at <= ?", bound: now },
  { table: "email_outbox", key: "id", where: "created_at < ?", bound: now - OUTBOX_RETENTION_MS }
] as const

const purgeTable = Effect.fnUntraced(function*(db: D1Database, purge: ReturnType<typeof purges>[number]) {
  let deleted = 0
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const result = yield* tryD1("identity", `${purge.table} purge`, () =>
      db.prepare(`DELETE FROM ${purge.table} WHERE ${purge.key} IN (SELECT ${purge.key} FROM ${purge.table} WHERE ${purge.where} LIMIT ${CHUNK})`)
        .bind(purge.bound).run())
    deleted += result.meta.changes
    if (result.meta.changes < CHUNK) break
  }
  return deleted
})

/** Deletes every expired row (bounded per run); answers the count per table. */
export const purgeExpiredRows = Effect.fnUntraced(function*(db: D1Database, now: number) {
  const counts: Record<string, number> = {}
  for (const purge of purges(now)) counts[purge.table] = yield* purgeTable(db, purge)
  return counts
})
