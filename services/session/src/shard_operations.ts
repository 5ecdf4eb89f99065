/**
 * What one SessionStore shard does, as Effects over its state. The DO
 * (`session_store.ts`) owns the state and runs these at its RPC boundary.
 *
 * Order of writes: D1 first, then memory. A create that fails in D1 leaves
 * nothing behind; a create that succeeds is durable before its cookie is
 * handed out, so eviction or restart never loses a session.
 */
import { NotFound, type Session, type SessionContract, Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import { deleteSession, deleteUserSessions, earliestExpiry, findSession, listUserSessions, PURGE_BATCH, purgeExpiredRows, putSession } from "./cold_sessions.ts"
import type { HotSessions } from "./hot_sessions.ts"
import type { RevokedSessions } from "./revoked_sessions.ts"
import { cookieSecretMatches, hashCookieSecret } from "./session_secret.ts"
import { formatCookie, newCookieSecret, newSessionId, parseCookie, shardOfSessionId } from "./session_id.ts"
import { sessionShardFor } from "./session_shard.ts"
import { sessionTtlMs } from "./session_ttl.ts"
import { isLive, type StoredSession } from "./stored_session.ts"

/** The state and seams of one shard. */
export interface ShardState {
  readonly db: D1Database
  /** Users whose new sessions are refused (blocked_users.ts); absent in tests of other parts: none are. */
  readonly blocked?: { readonly has: (userId: string) => boolean }
  readonly hot: HotSessions
  readonly revoked: RevokedSessions
  /** Current epoch ms (injected so tests control time). */
  readonly now: () => number
  /** Makes sure the purge alarm of `shard` fires no later than `at`. */
  readonly purgeNoLaterThan: (shard: number, at: number) => Effect.Effect<void, Unavailable>
}

type CreateInput = typeof SessionContract.create.input.Type
type Failure = NotFound | Unavailable

const notFound = new NotFound({ what: "session" })

/**
 * Caps of the descriptive strings a session keeps. They bound a hot-set
 * entry (storage-schema.md: 10,000 entries at these caps stay under 10 MB);
 * 256 characters hold any common browser's user agent whole.
 */
export const MAX_USER_AGENT_LENGTH = 256
/** Longest device label kept (the edge derives "Chrome on macOS"-like names). */
export const MAX_DEVICE_NAME_LENGTH = 64
/** Longest IP text kept: an IPv6 address with an embedded IPv4 part is at most 45 characters. */
export const MAX_IP_ADDRESS_LENGTH = 45

const capped = (value: string | null, max: number): string | null => (value === null ? null : value.slice(0, max))

/** Opens a session in the shard of its user; the cookie secret is returned once and only its hash is kept. */
export const createSession = Effect.fnUntraced(function*(state: ShardState, input: CreateInput) {
  const now = state.now()
  const shard = sessionShardFor(input.userId)
  const sessionId = newSessionId(shard)
  const secret = newCookieSecret()
  const session: Session = {
    id: sessionId,
    userId: input.userId,
    createdAt: now,
    expiresAt: now + sessionTtlMs(input.ttlSeconds),
    authTime: input.authTime,
    amr: input.amr,
    acr: input.acr,
    deviceName: capped(input.deviceName, MAX_DEVICE_NAME_LENGTH),
    ipAddress: capped(input.ipAddress, MAX_IP_ADDRESS_LENGTH),
    userAgent: capped(input.userAgent, MAX_USER_AGENT_LENGTH)
  }
  const stored: StoredSession = { session, secretHash: yield* hashCookieSecret(secret) }
  // A user disabled moments ago (blocked_users.ts): refused before the write, and again after it — the
  // sweep of a disable may have run during the write's I/O and missed this row; then it is taken back.
  if (state.blocked?.has(input.userId) === true) return yield* new NotFound({ what: "user" })
  yield* putSession(state.db, stored)
  if (state.blocked?.has(input.userId) === true) {
    yield* deleteSession(state.db, sessionId)
    return yield* new NotFound({ what: "user" })
  }
  state.hot.put(stored)
  yield* state.purgeNoLaterThan(shard, session.expiresAt)
  return { session, cookie: formatCookie(sessionId, secret) }
})

/**
 * The live session `sessionId`, from memory or else from D1 (then promoted
 * to memory). Never returns an expired or revoked session.
 */
const loadLive = Effect.fnUntraced(function*(state: ShardState, sessionId: string): Effect.fn.Return<StoredSession, Failure> {
  if (state.revoked.has(sessionId)) return yield* notFound
  const hot = state.hot.get(sessionId)
  if (hot !== undefined) {
    if (isLive(hot, state.now())) return hot
    state.hot.delete(sessionId)
    return yield* notFound
  }
  const cold = yield* findSession(state.db, sessionId)
  // Re-check after the D1 read: a revoke may have run while it was in flight.
  if (cold === undefined || state.revoked.has(sessionId) || !isLive(cold, state.now())) return yield* notFound
  state.hot.put(cold)
  return cold
})

/** The session a cookie value belongs to; forged, malformed, revoked or expired cookies are all `NotFound`. */
export const authenticateCookie = Effect.fnUntraced(function*(state: ShardState, cookie: string): Effect.fn.Return<Session, Failure> {
  const parsed = parseCookie(cookie)
  if (parsed === undefined) return yield* notFound
  const stored = yield* loadLive(state, parsed.sessionId)
  if (!(yield* cookieSecretMatches(parsed.secret, stored.secretHash))) return yield* notFound
  return stored.session
})

/** A live session by its public id. */
export const getSession = (state: ShardState, sessionId: string): Effect.Effect<Session, Failure> =>
  shardOfSessionId(sessionId) === undefined
    ? Effect.fail(notFound)
    : loadLive(state, sessionId).pipe(Effect.map((stored) => stored.session))

/**
 * Ends a session. Idempotent: `revoked` is true for exactly one call per
 * session (the one that ended it), false for unknown ids and repeats.
 * The tombstone is set before any await, so concurrent loads cannot
 * resurrect the session (see `revoked_sessions.ts`).
 */
export const revokeSession = Effect.fnUntraced(function*(
  state: ShardState,
  sessionId: string
): Effect.fn.Return<{ revoked: boolean; userId?: string }, Failure> {
  if (shardOfSessionId(sessionId) === undefined) return yield* notFound
  const first = state.revoked.mark(sessionId, state.now())
  const hot = state.hot.take(sessionId)
  const cold = yield* deleteSession(state.db, sessionId)
  const userId = hot?.session.userId ?? cold?.userId
  const revoked = first && (hot !== undefined || cold !== undefined)
  return revoked && userId !== undefined ? { revoked, userId } : { revoked }
})

/** One session ended by a user-wide sweep; `first` when this sweep set its tombstone. */
export interface SweptSession {
  readonly id: string
  readonly first: boolean
}

/**
 * Ends every session of `userId` but `keepSessionId`. D1 first (the rows it
 * deleted come back), then, in one synchronous step, tombstones and memory:
 * a cold load whose read raced the delete then finds the tombstone, exactly
 * as for a single `revoke`. The hot set is swept too, for sessions whose row
 * a retried delete no longer reported. `afterEnding` runs in that same
 * synchronous step (no other call of the shard can interleave), so a caller
 * can act on exactly the set it ended; a throw there is `Unavailable`.
 */
export const sweepUserSessions = Effect.fnUntraced(function*<A>(
  state: ShardState,
  userId: string,
  keepSessionId: string | undefined,
  afterEnding: (swept: ReadonlyArray<SweptSession>) => A
): Effect.fn.Return<A, Failure> {
  const deleted = yield* deleteUserSessions(state.db, userId, keepSessionId)
  return yield* Effect.try({
    try: () => {
      const now = state.now()
      const candidates = new Set([...deleted, ...state.hot.idsOfUser(userId)])
      candidates.delete(keepSessionId ?? "")
      const swept: Array<SweptSession> = []
      for (const id of candidates) {
        state.hot.delete(id)
        swept.push({ id, first: state.revoked.mark(id, now) })
      }
      return afterEnding(swept)
    },
    catch: (cause) => new Unavailable({ service: "session", reason: `SessionStore sweep: ${cause instanceof Error ? cause.message : String(cause)}` })
  })
})

/**
 * `revokeForUser`: the sweep above. Returns the ids this call ended (an id
 * already revoked is not reported again).
 */
export const revokeUserSessions = (
  state: ShardState,
  userId: string,
  keepSessionId: string | undefined
): Effect.Effect<{ revoked: ReadonlyArray<string> }, Failure> =>
  sweepUserSessions(state, userId, keepSessionId, (swept) => ({ revoked: swept.filter((s) => s.first).map((s) => s.id) }))

/** Live sessions of a user, newest first (D1 holds every session, so it is the list's source). */
export const listSessions = (state: ShardState, userId: string): Effect.Effect<{ sessions: ReadonlyArray<Session> }, Failure> =>
  listUserSessions(state.db, userId, state.now()).pipe(
    Effect.map((rows) => ({ sessions: rows.filter((row) => !state.revoked.has(row.session.id)).map((row) => row.session) }))
  )

/** How soon the next purge may run when sessions expire continuously: purges are batched, not one per session. */
export const PURGE_INTERVAL_MS = 15 * 60_000

/**
 * The alarm's work: drop expired sessions from memory and from the shard's
 * D1 rows, forget old tombstones. Returns when the next purge is due
 * (undefined when the shard has no rows left).
 */
export const purgeExpired = Effect.fnUntraced(function*(state: ShardState, shard: number): Effect.fn.Return<number | undefined, Unavailable> {
  const now = state.now()
  state.hot.dropExpired(now)
  state.revoked.forgetBefore(now)
  const deleted = yield* purgeExpiredRows(state.db, shard, now)
  // A full batch means more may be waiting: come back at once rather than in 15 minutes.
  if (deleted >= PURGE_BATCH) return now
  const next = yield* earliestExpiry(state.db, shard)
  return next === undefined ? undefined : Math.max(next, now + PURGE_INTERVAL_MS)
})
