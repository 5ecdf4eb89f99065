/**
 * Users whose new sessions this shard refuses (issue 12: a disabled or
 * deleted account). The edge's disable/delete sets the mark in the same call
 * that ends the user's sessions (`endSessionsForUser` with
 * `blockNewSessions`), enable clears it (`allowNewSessions`). It closes the
 * race of a sign-in whose credential identity accepted just before the
 * disable but whose session is created after the sweep: `create` checks the
 * mark before AND after its D1 write (the write is I/O, during which the
 * sweep may run), and a session created under the mark is deleted again and
 * refused (`NotFound`: no such enabled user).
 *
 * Table `blocked_users (user_id PK, blocked_at)` in the shard's own SQLite
 * (sessions are sharded by user, so the mark is where the user's sessions
 * are created: no extra request per sign-in, one primary-key read). Rows
 * stay until the user is enabled (a deleted user's row stays: one short row).
 */

const SCHEMA = `CREATE TABLE IF NOT EXISTS blocked_users (
  user_id TEXT PRIMARY KEY,
  blocked_at INTEGER NOT NULL
) WITHOUT ROWID`

/** The blocked-users table of one SessionStore shard. Synchronous: DO SQLite calls run in the object's thread. */
export class BlockedUsers {
  #ready = false
  readonly #sql: SqlStorage

  constructor(sql: SqlStorage) {
    this.#sql = sql
  }

  #schema(): SqlStorage {
    if (!this.#ready) {
      this.#sql.exec(SCHEMA)
      this.#ready = true
    }
    return this.#sql
  }

  /** Marks `userId` (idempotent). */
  block(userId: string, now: number): void {
    this.#schema().exec("INSERT OR IGNORE INTO blocked_users (user_id, blocked_at) VALUES (?, ?)", userId, now)
  }

  /** Clears the mark (idempotent). */
  allow(userId: string): void {
    this.#schema().exec("DELETE FROM blocked_users WHERE user_id = ?", userId)
  }

  /** True when new sessions of `userId` are refused. */
  has(userId: string): boolean {
    return this.#schema().exec("SELECT 1 FROM blocked_users WHERE user_id = ?", userId).toArray().length > 0
  }
}
