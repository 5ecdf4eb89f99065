/**
 * The hot set of one shard: a bounded, least-recently-used map in DO memory.
 * DESIGN §6 sizes a shard at ~10 K live sessions of ~1 KB, so the default
 * bound keeps a shard near 10 MB; anything evicted is still in D1 and is
 * promoted back on its next use.
 */
import type { StoredSession } from "./stored_session.ts"

/** Default bound of the hot set, per shard (DESIGN §6: 100 shards × 10 K sessions). */
export const DEFAULT_HOT_LIMIT = 10_000

/** Reads the configured bound (`SESSION_HOT_LIMIT`), falling back to the default when unset or not a positive integer. */
export const hotLimitFrom = (configured: string | undefined): number => {
  const parsed = Number(configured)
  return Number.isInteger(parsed) && parsed > 0 ? parsed : DEFAULT_HOT_LIMIT
}

/** LRU map: a Map keeps insertion order, so re-inserting on use makes the first key the least recently used. */
export class HotSessions {
  readonly #entries = new Map<string, StoredSession>()

  constructor(readonly limit: number) {}

  /** Sessions currently held in memory. */
  get size(): number {
    return this.#entries.size
  }

  /** Whether `sessionId` is in memory (without touching its recency). */
  has(sessionId: string): boolean {
    return this.#entries.has(sessionId)
  }

  /** The session, marked most recently used. */
  get(sessionId: string): StoredSession | undefined {
    const stored = this.#entries.get(sessionId)
    if (stored !== undefined) {
      this.#entries.delete(sessionId)
      this.#entries.set(sessionId, stored)
    }
    return stored
  }

  /** Inserts or refreshes a session, evicting the least recently used beyond the bound. */
  put(stored: StoredSession): void {
    this.#entries.delete(stored.session.id)
    this.#entries.set(stored.session.id, stored)
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.limit) break
      this.#entries.delete(oldest)
    }
  }

  /** Removes a session; true when it was in memory. */
  delete(sessionId: string): boolean {
    return this.#entries.delete(sessionId)
  }

  /** Removes a session and answers what was held in memory (undefined when it was not). */
  take(sessionId: string): StoredSession | undefined {
    const stored = this.#entries.get(sessionId)
    if (stored !== undefined) this.#entries.delete(sessionId)
    return stored
  }

  /** The sessions in memory, least recently used first (without touching recency). */
  values(): IterableIterator<StoredSession> {
    return this.#entries.values()
  }

  /** Ids of the sessions of `userId` held in memory (a full scan: only "sign out everywhere" needs it). */
  idsOfUser(userId: string): ReadonlyArray<string> {
    const ids: Array<string> = []
    for (const [id, stored] of this.#entries) if (stored.session.userId === userId) ids.push(id)
    return ids
  }

  /** Drops every session expired at `now`. */
  dropExpired(now: number): void {
    for (const [id, stored] of this.#entries) {
      if (now >= stored.session.expiresAt) this.#entries.delete(id)
    }
  }
}
