/**
 * Recently revoked session ids of one shard (tombstones).
 *
 * A hot-set miss reads D1, and while that read is in flight the DO accepts
 * other calls (D1 is outside the DO's input gate). Without tombstones a
 * `revoke` landing during the read would delete the row, and the read would
 * then promote the stale copy back into memory — a revoked session alive
 * again. A load therefore re-checks this set after its D1 read.
 *
 * Tombstones only need to outlive any D1 read in flight (seconds), so they are
 * forgotten after `TOMBSTONE_GRACE_MS` by the purge alarm, and the set is
 * bounded like the hot set. After an eviction there is no read in flight and
 * the row is gone from D1, so losing them with memory is safe.
 */

/** How long a revoked id is remembered (far above any D1 read with its retries). */
export const TOMBSTONE_GRACE_MS = 5 * 60_000

/** Ids revoked recently, with the time of revocation. */
export class RevokedSessions {
  readonly #revokedAt = new Map<string, number>()

  constructor(readonly limit: number) {}

  /** Records a revocation; false when the id was already revoked (a repeated or concurrent revoke). */
  mark(sessionId: string, now: number): boolean {
    if (this.#revokedAt.has(sessionId)) return false
    this.#revokedAt.set(sessionId, now)
    for (const oldest of this.#revokedAt.keys()) {
      if (this.#revokedAt.size <= this.limit) break
      this.#revokedAt.delete(oldest)
    }
    return true
  }

  /** Whether `sessionId` was revoked recently. */
  has(sessionId: string): boolean {
    return this.#revokedAt.has(sessionId)
  }

  /** Forgets revocations older than the grace period. */
  forgetBefore(now: number): void {
    for (const [id, at] of this.#revokedAt) {
      if (at + TOMBSTONE_GRACE_MS <= now) this.#revokedAt.delete(id)
    }
  }
}
