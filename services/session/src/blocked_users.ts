/**
 * Users whose new sessions this shard refuses for a while (issue 12: a
 * disabled account). It closes the race of a sign-in whose credential
 * identity accepted just before the disable but whose session is created
 * after the disable's sweep. The edge's disable sets the mark in the same call
 * that ends the user's sessions (`endSessionsForUser` with
 * `blockNewSessions`), synchronously before the sweep's D1 I/O; `create`
 * checks it before AND after its own D1 write (the sweep may run during that
 * I/O), deleting a row written under the mark and refusing (`NotFound`: no
 * such enabled user). Enable clears it (`allowNewSessions`).
 *
 * Memory only, like the revocation tombstones: the race it closes lasts as
 * long as one sign-in request — identity's check, then the session create,
 * seconds apart — so a mark kept `BLOCK_GRACE_MS` outlives it by far, and
 * identity refuses every later sign-in of a disabled user anyway. After an
 * eviction no such request is in flight. No storage read or write per
 * sign-in; bounded like the hot set (oldest marks dropped first).
 */

/** How long a mark is kept: far above one sign-in request (identity check → session create). */
export const BLOCK_GRACE_MS = 5 * 60_000

/** Recently disabled users of one shard, with the time of the mark. */
export class BlockedUsers {
  readonly #blockedAt = new Map<string, number>()

  constructor(readonly limit: number) {}

  /** Marks `userId` (a repeated mark renews it). */
  block(userId: string, now: number): void {
    this.#blockedAt.delete(userId)
    this.#blockedAt.set(userId, now)
    for (const [oldest, at] of this.#blockedAt) {
      if (this.#blockedAt.size <= this.limit && now - at < BLOCK_GRACE_MS) break
      this.#blockedAt.delete(oldest)
    }
  }

  /** Clears the mark (idempotent). */
  allow(userId: string): void {
    this.#blockedAt.delete(userId)
  }

  /** True when new sessions of `userId` are refused now. */
  has(userId: string, now: number): boolean {
    const at = this.#blockedAt.get(userId)
    return at !== undefined && now - at < BLOCK_GRACE_MS
  }
}
