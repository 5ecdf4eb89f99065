/**
 * The ChallengeStore's SQLite table and its rules, with `now` passed in so
 * tests control the clock. Every method is synchronous SQL, so inside one
 * Durable Object call nothing can interleave between the check and the
 * consume; `consume` is in addition a single conditional UPDATE.
 */
import { Challenge, type ChallengeType } from "@authrim/contracts"
import { Schema } from "effect"

/**
 * A challenge as it crosses from the Durable Object to the entrypoint:
 * metadata stays a JSON string so the DO RPC carries only plain values, and
 * the entrypoint decodes it with {@link decodeStoredChallenge}.
 */
export interface StoredChallenge {
  readonly id: string
  readonly type: string
  readonly userId: string | null
  readonly metadataJson: string
  readonly createdAt: number
  readonly expiresAt: number
}

const StoredAsChallenge = Schema.Struct({
  ...Challenge.fields,
  metadata: Schema.fromJsonString(Challenge.fields.metadata)
})

/** Rows are written only by `create`, so a value that does not decode is a defect. */
export const decodeStoredChallenge = (stored: StoredChallenge): Challenge =>
  Schema.decodeUnknownSync(StoredAsChallenge)({
    id: stored.id,
    type: stored.type,
    userId: stored.userId,
    metadata: stored.metadataJson,
    createdAt: stored.createdAt,
    expiresAt: stored.expiresAt
  })

interface ChallengeRow extends Record<string, SqlStorageValue> {
  id: string
  type: string
  user_id: string | null
  metadata: string
  created_at: number
  expires_at: number
  consumed: number
}

/** What the store needs to mint a challenge; times are stamped by the store. */
export interface NewChallenge {
  readonly id: string
  readonly type: ChallengeType
  readonly userId: string | null
  readonly metadataJson: string
  readonly ttlMs: number
}

const toStored = (row: ChallengeRow): StoredChallenge => ({
  id: row.id,
  type: row.type,
  userId: row.user_id,
  metadataJson: row.metadata,
  createdAt: row.created_at,
  expiresAt: row.expires_at
})

export class ChallengeTable {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS challenges (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      user_id TEXT,
      metadata TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      consumed INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID`)
    sql.exec("CREATE INDEX IF NOT EXISTS challenges_expiry ON challenges (expires_at)")
    // Finished sealed transactions (see `claim`): no expiry index on purpose, so a claim writes one row, not two;
    // the purge scans it, and the table holds at most 15 minutes of this shard's sign-ins.
    sql.exec(`CREATE TABLE IF NOT EXISTS finished_transactions (
      id TEXT PRIMARY KEY,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID`)
  }

  /**
   * Marks transaction `id` finished until `expiresAt`, in one statement: true
   * for exactly one caller, false for every later one (and for an expired
   * transaction). A row that outlived its expiry but was not purged yet counts
   * as used too — the edge refuses the expired transaction anyway.
   */
  claim(id: string, expiresAt: number, now: number): boolean {
    if (expiresAt <= now) return false
    const rows = this.sql.exec(
      "INSERT INTO finished_transactions (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING RETURNING id", id, expiresAt
    ).toArray()
    return rows.length === 1
  }

  create(input: NewChallenge, now: number): StoredChallenge {
    const row = this.sql.exec<ChallengeRow>(
      `INSERT INTO challenges (id, type, user_id, metadata, created_at, expires_at, consumed)
       VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING *`,
      input.id, input.type, input.userId, input.metadataJson, now, now + input.ttlMs
    ).one()
    return toStored(row)
  }

  /** A live (unconsumed, unexpired) challenge of `type`, left in place. */
  peek(id: string, type: ChallengeType, now: number): StoredChallenge | null {
    const rows = this.sql.exec<ChallengeRow>(
      "SELECT * FROM challenges WHERE id = ? AND type = ? AND consumed = 0 AND expires_at > ?", id, type, now
    ).toArray()
    return rows[0] === undefined ? null : toStored(rows[0])
  }

  /** Checks type, expiry and not-consumed and consumes, in one statement: at most one caller ever gets the row. */
  consume(id: string, type: ChallengeType, now: number): StoredChallenge | null {
    const rows = this.sql.exec<ChallengeRow>(
      "UPDATE challenges SET consumed = 1 WHERE id = ? AND type = ? AND consumed = 0 AND expires_at > ? RETURNING *",
      id, type, now
    ).toArray()
    return rows[0] === undefined ? null : toStored(rows[0])
  }

  /**
   * Deletes expired rows (consumed ones stay until their expiry, which keeps a
   * replay indistinguishable from an expired id) and returns the next expiry
   * still pending, if any.
   */
  purgeExpired(now: number): number | null {
    this.sql.exec("DELETE FROM challenges WHERE expires_at <= ?", now)
    this.sql.exec("DELETE FROM finished_transactions WHERE expires_at <= ?", now)
    const next = this.sql.exec<{ next: number | null }>(
      "SELECT MIN(next) AS next FROM (SELECT MIN(expires_at) AS next FROM challenges UNION ALL SELECT MIN(expires_at) FROM finished_transactions)"
    ).one()
    return next.next
  }

  /** Number of stored rows (tests and metrics). */
  count(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM challenges").one().n
  }
}
