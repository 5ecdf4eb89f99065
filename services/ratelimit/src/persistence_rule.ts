/**
 * Which window counts a `RateLimiterCounter` writes to SQLite (issue 10; the reasoning is in
 * storage-schema.md "Memory first"). A shard counts in memory — one object runs one request
 * at a time, so a count in memory is as exact under concurrency as one in SQLite — and stores
 * a key only when losing its count could change a decision:
 *
 * - windows longer than {@link MEMORY_WINDOW_MAX_MS}: always (failure windows, e-mail, second
 *   factor: rare events, long windows an idle eviction could fall inside);
 * - a short window once its count reaches {@link persistThreshold} of its limit, and then on
 *   every count until the first denial is stored (later denials change no decision);
 * - any window the shard cannot keep in memory (more than `MAX_MEMORY_KEYS` live keys).
 *
 * A restart or eviction of the object therefore forgets only short-window counts below half
 * their limit: at worst one more half-window is admitted, once per restart.
 */

/**
 * Longest window (ms) counted in memory only. The object keeps itself from hibernating while it
 * holds counts that are not stored (a pending timer, `rate_limiter_counter.ts`), and an idle
 * object is evicted only 70–140 s after its last request (Cloudflare's Durable Object lifecycle):
 * a window of at most 60 s that a request opened has ended before that. Longer windows are stored.
 */
export const MEMORY_WINDOW_MAX_MS = 60_000

/** From this fraction of its limit on, every count of a short window is stored. */
export const PERSIST_FRACTION = 0.5

/** The count from which a short window with `limit` is stored: half the limit, at least 1. */
export const persistThreshold = (limit: number): number => Math.max(1, Math.ceil(limit * PERSIST_FRACTION))

/** One key's running window as the shard holds it. `stored` is the count SQLite has for this window (0: no row for it). */
export interface CountedWindow {
  count: number
  resetAt: number
  firstRequestAt: number
  stored: number
}

/** Whether the window is short enough to be counted in memory only. */
export const isMemoryWindow = (window: CountedWindow): boolean => window.resetAt - window.firstRequestAt <= MEMORY_WINDOW_MAX_MS

/** Whether `window`, just counted under `limit`, must be written now (`inMemory`: the shard keeps it in memory). */
export const mustStore = (window: CountedWindow, limit: number, inMemory: boolean): boolean => {
  if (!inMemory) return true
  // A stored denial stays a denial until the window ends: counting past it changes no decision.
  if (window.stored > limit) return false
  if (!isMemoryWindow(window)) return true
  return window.count >= persistThreshold(limit)
}
