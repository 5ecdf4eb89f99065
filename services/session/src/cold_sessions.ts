/**
 * The cold copy of sessions: D1 table `sessions` (migrations/0001). Every
 * call goes through `tryD1` (the single retry policy). Writes are keyed by
 * the session id (INSERT OR REPLACE, DELETE by id), so a retried write whose
 * first attempt did commit changes nothing.
 *
 * Rows of one shard are found by id range: ids are `sNN_…`, so shard NN owns
 * exactly the ids in [`sNN_`, `sNN\``) (backtick is the character after `_`),
 * which the primary-key index serves without a shard column.
 */
import { tryD1, Unavailable } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import type { StoredSession } from "./stored_session.ts"

const SERVICE = "session"

/** Most sessions listed for one user (account page); older ones still work, they are just not listed. */
export const LIST_LIMIT = 200

/** Rows deleted per purge statement, so one alarm never runs an unbounded delete. */
export const PURGE_BATCH = 1000

/** The JSON in `sessions.data`. */
const SessionData = Schema.Struct({
  authTime: Schema.Number,
  amr: Schema.Array(Schema.String),
  acr: Schema.NullOr(Schema.String),
  deviceName: Schema.NullOr(Schema.String),
  ipAddress: Schema.NullOr(Schema.String),
  userAgent: Schema.NullOr(Schema.String),
  secretHash: Schema.String
})

/** One `sessions` row as D1 returns it. */
const SessionRow = Schema.Struct({
  id: Schema.String,
  user_id: Schema.String,
  expires_at: Schema.Number,
  created_at: Schema.Number,
  data: Schema.fromJsonString(SessionData)
})
type SessionRow = typeof SessionRow.Type

const encodeData = Schema.encodeSync(Schema.fromJsonString(SessionData))
const decodeRows = Schema.decodeUnknownEffect(Schema.Array(SessionRow))

const toStored = (row: SessionRow): StoredSession => {
  const { secretHash, ...data } = row.data
  return {
    session: { id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at, ...data },
    secretHash
  }
}

/** Decodes rows; a row that does not decode is a storage fault, reported as `Unavailable` rather than a defect. */
const decode = (rows: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<StoredSession>, Unavailable> =>
  decodeRows(rows).pipe(
    Effect.map((decoded) => decoded.map(toStored)),
    Effect.mapError((error) => new Unavailable({ service: SERVICE, reason: `corrupt sessions row: ${error.message}` }))
  )

const COLUMNS = "id, user_id, expires_at, created_at, data"

/** The id range [from, to) owned by `shard` (see the module comment). */
export const shardIdRange = (shard: number): { readonly from: string; readonly to: string } => {
  const prefix = `s${String(shard).padStart(2, "0")}`
  return { from: `${prefix}_`, to: `${prefix}\`` }
}

/** The `sessions.data` JSON of a stored session. */
export const sessionDataJson = ({ session, secretHash }: StoredSession): string =>
  encodeData({
    authTime: session.authTime,
    amr: session.amr,
    acr: session.acr,
    deviceName: session.deviceName,
    ipAddress: session.ipAddress,
    userAgent: session.userAgent,
    secretHash
  })

/** Writes (or rewrites) one session row. */
export const putSession = (db: D1Database, stored: StoredSession): Effect.Effect<void, Unavailable> => {
  const { session } = stored
  const data = sessionDataJson(stored)
  return tryD1(SERVICE, "sessions.put", () =>
    db.prepare(`INSERT OR REPLACE INTO sessions (${COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5)`)
      .bind(session.id, session.userId, session.expiresAt, session.createdAt, data)
      .run()).pipe(Effect.asVoid)
}

/** The row of `sessionId`, expired or not (the caller decides), or `undefined`. */
export const findSession = (db: D1Database, sessionId: string): Effect.Effect<StoredSession | undefined, Unavailable> =>
  tryD1(SERVICE, "sessions.find", () => db.prepare(`SELECT ${COLUMNS} FROM sessions WHERE id = ?1`).bind(sessionId).all()).pipe(
    Effect.flatMap((result) => decode(result.results)),
    Effect.map((rows) => rows[0])
  )

/** Live sessions of a user, newest first (index `sessions_user`). */
export const listUserSessions = (
  db: D1Database,
  userId: string,
  now: number
): Effect.Effect<ReadonlyArray<StoredSession>, Unavailable> =>
  tryD1(SERVICE, "sessions.listForUser", () =>
    db.prepare(`SELECT ${COLUMNS} FROM sessions WHERE user_id = ?1 AND expires_at > ?2 ORDER BY created_at DESC LIMIT ?3`)
      .bind(userId, now, LIST_LIMIT)
      .all()).pipe(Effect.flatMap((result) => decode(result.results)))

/** Deletes one row; true when a row was there. */
export const deleteSession = (db: D1Database, sessionId: string): Effect.Effect<{ readonly userId: string } | undefined, Unavailable> =>
  tryD1(SERVICE, "sessions.delete", () =>
    db.prepare("DELETE FROM sessions WHERE id = ?1 RETURNING user_id").bind(sessionId).first<{ user_id: string }>()).pipe(
    Effect.map((row) => (row === null ? undefined : { userId: row.user_id }))
  )

/**
 * Deletes every row of a user except `keepSessionId`; returns the ids it
 * deleted (`RETURNING`), so the shard can tombstone exactly those. A retried
 * attempt whose first try committed returns fewer ids; the shard's sweep of
 * its hot set covers that case (`revokeUserSessions`).
 */
export const deleteUserSessions = (
  db: D1Database,
  userId: string,
  keepSessionId: string | undefined
): Effect.Effect<ReadonlyArray<string>, Unavailable> =>
  tryD1(SERVICE, "sessions.deleteForUser", () =>
    db.prepare("DELETE FROM sessions WHERE user_id = ?1 AND id != ?2 RETURNING id").bind(userId, keepSessionId ?? "").all<{ id: string }>()
  ).pipe(Effect.map((result) => result.results.map((row) => row.id)))

/** Deletes up to `PURGE_BATCH` expired rows of `shard`; returns how many went. */
export const purgeExpiredRows = (db: D1Database, shard: number, now: number): Effect.Effect<number, Unavailable> => {
  const { from, to } = shardIdRange(shard)
  return tryD1(SERVICE, "sessions.purge", () =>
    db.prepare(
      "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE id >= ?1 AND id < ?2 AND expires_at <= ?3 LIMIT ?4)"
    ).bind(from, to, now, PURGE_BATCH).run()).pipe(Effect.map((result) => result.meta.changes))
}

/** Earliest `expires_at` among the rows of `shard`, or `undefined` when it has none. */
export const earliestExpiry = (db: D1Database, shard: number): Effect.Effect<number | undefined, Unavailable> => {
  const { from, to } = shardIdRange(shard)
  return tryD1(SERVICE, "sessions.earliestExpiry", () =>
    db.prepare("SELECT MIN(expires_at) AS next FROM sessions WHERE id >= ?1 AND id < ?2").bind(from, to).first<{ next: number | null }>()
  ).pipe(Effect.map((row) => row?.next ?? undefined))
}
