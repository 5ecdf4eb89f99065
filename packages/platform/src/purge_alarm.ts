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
