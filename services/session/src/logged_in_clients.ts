/**
 * Which RPs each session signed into (OIDC Back-Channel Logout 1.0 §2.1: the
 * provider must know whom to tell when a session ends). Kept in the shard's
 * own SQLite storage, beside the session it belongs to, because the session
 * id routes here: recording is a local write in the one DO call the edge
 * makes, never a D1 round trip.
 *
 * Table `session_clients (session_id, client_id, expires_at)`, primary key
 * (session_id, client_id), no secondary index: a recording writes one row,
 * not two (issue 10 — an index on `expires_at` doubled the rows written per
 * sign-in). A row lives until its session ends (taken by `endSession`) or
 * expires; expired rows are dropped by the shard's purge alarm (`purgeExpired`,
 * a scan of a table bounded by the shard's live sessions, at most every 15 min).
 */

const SCHEMA = `CREATE TABLE IF NOT EXISTS session_clients (
  session_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, client_id)
) WITHOUT ROWID;
DROP INDEX IF EXISTS session_clients_expiry;`

/** The logged-in-clients table of one SessionStore shard. Synchronous: DO SQLite calls run in the object's thread. */
export class LoggedInClients {
  #ready = false

  constructor(private readonly sql: SqlStorage) {}

  #schema(): SqlStorage {
    if (!this.#ready) {
      this.sql.exec(SCHEMA)
      this.#ready = true
    }
    return this.sql
  }

  /** Records `clientId` for `sessionId` (no-op when already there). */
  record(sessionId: string, clientId: string, expiresAt: number): void {
    this.#schema().exec("INSERT OR IGNORE INTO session_clients (session_id, client_id, expires_at) VALUES (?, ?, ?)", sessionId, clientId, expiresAt)
  }

  /** Drops the rows of sessions expired by `now` (the purge alarm); returns how many. */
  purgeExpired(now: number): number {
    return this.#schema().exec("DELETE FROM session_clients WHERE expires_at <= ?", now).rowsWritten
  }

  /** The clients of `sessionId`, removed: each is handed out once. */
  take(sessionId: string): ReadonlyArray<string> {
    const sql = this.#schema()
    const rows = sql.exec<{ client_id: string }>("DELETE FROM session_clients WHERE session_id = ? RETURNING client_id", sessionId).toArray()
    return rows.map((row) => row.client_id).sort()
  }

  /** Clients recorded for `sessionId`, without removing them (tests, account page). */
  peek(sessionId: string): ReadonlyArray<string> {
    const sql = this.#schema()
    return sql.exec<{ client_id: string }>("SELECT client_id FROM session_clients WHERE session_id = ? ORDER BY client_id", sessionId)
      .toArray()
      .map((row) => row.client_id)
  }

  /** Rows held (tests). */
  count(): number {
    return this.#schema().exec<{ n: number }>("SELECT COUNT(*) AS n FROM session_clients").one().n
  }
}
