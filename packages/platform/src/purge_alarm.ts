/**
 * Purge scheduling of Durable Objects that keep expiring rows: one alarm at
 * the earliest expiry, purges at least {@link MIN_PURGE_SPACING_MS} apart.
 * Each alarm is a billed Durable Object request; re-arming at the very next
 * expiry would, on a busy shard, run one per stored item. Purging late is
 * harmless: every read checks expiry itself, and a racing write that sets a
 * later alarm only delays the purge.
 */

/** What the scheduling needs of `DurableObjectStorage` (structural, so this stays free of the Workers runtime). */
export interface AlarmStorage {
  getAlarm(): Promise<number | null>
  setAlarm(scheduledTime: number): Promise<void>
  deleteAlarm(): Promise<void>
}

/** Minimum time between two purges of one object. */
export const MIN_PURGE_SPACING_MS = 60_000

/** Arms the alarm for `at` unless an earlier one is already set. */
export const armExpiryAlarm = async (storage: AlarmStorage, at: number): Promise<void> => {
  const current = await storage.getAlarm()
  if (current === null || current > at) await storage.setAlarm(at)
}

/** After a purge at `now`: arm for the next expiry (never sooner than the spacing), or clear it when nothing is left. */
export const rearmExpiryAlarm = async (storage: AlarmStorage, nextExpiry: number | null, now: number): Promise<void> => {
  if (nextExpiry === null) await storage.deleteAlarm()
  else await storage.setAlarm(Math.max(nextExpiry, now + MIN_PURGE_SPACING_MS))
}

/**
 * The same rule for an object that arms often (a write per challenge or assertion): the armed time is kept
 * in memory after the first read, so arming costs no `getAlarm` round trip per write. One per object.
 */
export class CachedExpiryAlarm {
  /** undefined: not read yet; null: none armed. */
  #armedAt: number | null | undefined = undefined
  readonly storage: AlarmStorage
  // (no parameter property: Node's type stripping, which runs the bench and scripts, does not support them)
  constructor(storage: AlarmStorage) {
    this.storage = storage
  }

  /** Arms for `at` unless an alarm at or before it is already set. */
  async arm(at: number): Promise<void> {
    if (this.#armedAt === undefined) this.#armedAt = await this.storage.getAlarm()
    if (this.#armedAt !== null && this.#armedAt <= at) return
    await this.storage.setAlarm(at)
    this.#armedAt = at
  }

  /** From the alarm handler, after a purge at `now`: arm for the next expiry, never sooner than the spacing. */
  async afterPurge(nextExpiry: number | null, now: number): Promise<void> {
    this.#armedAt = null
    if (nextExpiry !== null) await this.arm(Math.max(nextExpiry, now + MIN_PURGE_SPACING_MS))
  }
}
