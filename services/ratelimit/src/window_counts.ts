/**
 * The fixed windows of one `RateLimiterCounter` shard, counted in memory (issue 10). The
 * object runs one request at a time and every method here is synchronous, so no other request
 * interleaves between reading a count and raising it: memory counts are exact under
 * concurrency. What is written to SQLite, and when, is `persistence_rule.ts`; a key the
 * memory does not hold is read back from SQLite, so a stored window survives a restart.
 */
import type { RateLimitCheck, RateLimitDecision } from "@authrim/contracts/ratelimit"
import { readLiveWindow, storeCount, storeWindow } from "./counter_table.ts"
import { isMemoryWindow, mustStore, type CountedWindow } from "./persistence_rule.ts"

/**
 * Live keys one shard keeps in memory (~200 bytes each: ~10 MB of the object's 128 MB). Past it
 * a new key is counted in SQLite from its first request, as before issue 10.
 */
export const MAX_MEMORY_KEYS = 50_000

/** What one check did. */
export interface CountOutcome {
  readonly decision: RateLimitDecision
  /** A window row was created: a sweep must come by `decision.resetAt`. */
  readonly opened: boolean
  /** Counts only memory holds live until this time (epoch ms): the object must not hibernate before. */
  readonly memoryOnlyUntil: number | null
}

const decide = (current: number, allowed: boolean, limit: number, resetAt: number, now: number): RateLimitDecision => ({
  allowed,
  current,
  limit,
  resetAt,
  retryAfter: allowed ? 0 : Math.max(1, Math.ceil((resetAt - now) / 1000))
})

export class WindowCounts {
  private readonly windows = new Map<string, CountedWindow>()
  /** A full memory is pruned at most once a second (a prune walks every key). */
  private pruneWhenFullAfter = 0

  constructor(private readonly sql: SqlStorage) {}

  /** Keys held in memory (live or not yet pruned). */
  get size(): number {
    return this.windows.size
  }

  /**
   * Counts one request (`cost` of them, default 1) for `check.key` at `now` and decides it; `cost: 0`
   * only reads ("peek": allowed when one more would fit; nothing written, nothing remembered for an
   * unseen key). A window is fixed: it opens at the first request after the previous one ended and
   * lasts `windowSeconds` (a caller that changes `windowSeconds` mid-window keeps the running one).
   * Denied requests that reach the shard are counted too; the edge answers later ones from memory.
   */
  count(check: RateLimitCheck, now: number): CountOutcome {
    const cost = check.cost ?? 1
    const live = this.live(check.key, now)
    if (cost === 0) {
      const current = live?.count ?? 0
      const resetAt = live?.resetAt ?? now + check.windowSeconds * 1000
      return { decision: decide(current, current + 1 <= check.limit, check.limit, resetAt, now), opened: false, memoryOnlyUntil: null }
    }
    const window = live ?? { count: 0, resetAt: now + check.windowSeconds * 1000, firstRequestAt: now, stored: 0 }
    window.count += cost
    const inMemory = this.remember(check.key, window, now)
    let opened = false
    if (mustStore(window, check.limit, inMemory)) {
      if (window.stored === 0) storeWindow(this.sql, check.key, window)
      else storeCount(this.sql, check.key, window.count)
      opened = window.stored === 0
      window.stored = window.count
    }
    const memoryOnly = window.stored < window.count && window.stored <= check.limit && isMemoryWindow(window)
    return {
      decision: decide(window.count, window.count <= check.limit, check.limit, window.resetAt, now),
      opened,
      memoryOnlyUntil: memoryOnly ? window.resetAt : null
    }
  }

  /** Forgets every window that has ended by `now`; returns how many went. */
  prune(now: number): number {
    let pruned = 0
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now) {
        this.windows.delete(key)
        pruned++
      }
    }
    return pruned
  }

  /** The running window of `key` at `now`: memory first, else its stored row (then held in memory). */
  private live(key: string, now: number): CountedWindow | undefined {
    const held = this.windows.get(key)
    if (held !== undefined) {
      if (held.resetAt > now) return held
      this.windows.delete(key) // ended; a stored row of it, if any, is overwritten when the next window is stored
      return undefined
    }
    const row = readLiveWindow(this.sql, key, now)
    if (row === undefined) return undefined
    const window = { count: row.count, resetAt: row.reset_at, firstRequestAt: row.first_request_at, stored: row.count }
    this.remember(key, window, now)
    return window
  }

  /** Holds `window` in memory unless memory is full of live keys; whether it is held. */
  private remember(key: string, window: CountedWindow, now: number): boolean {
    if (this.windows.get(key) === window) return true
    if (this.windows.size >= MAX_MEMORY_KEYS && now >= this.pruneWhenFullAfter) {
      this.prune(now)
      this.pruneWhenFullAfter = now + 1000
    }
    if (this.windows.size >= MAX_MEMORY_KEYS) return false
    this.windows.set(key, window)
    return true
  }
}
