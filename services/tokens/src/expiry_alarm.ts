/**
 * Purge scheduling shared by the tokens Durable Objects: each keeps one alarm
 * at the earliest expiry it holds. Purging late is harmless (every read checks
 * expiry itself), so a racing write that sets a later alarm only delays the
 * purge; the alarm handler always re-arms from what is left.
 */

/** Arms the alarm for `at` unless an earlier one is already set. */
export const armExpiryAlarm = async (storage: DurableObjectStorage, at: number): Promise<void> => {
  const current = await storage.getAlarm()
  if (current === null || current > at) await storage.setAlarm(at)
}

/**
 * Purges of one object are at least this far apart. Without it a busy shard,
 * whose next expiry is always a few milliseconds away, would run its alarm
 * (a billed Durable Object request) about once per stored item.
 */
export const MIN_PURGE_SPACING_MS = 60_000

/** After a purge at `now`: arm the alarm for the next expiry (not sooner than the spacing), or clear it when nothing is left. */
export const rearmExpiryAlarm = async (storage: DurableObjectStorage, nextExpiry: number | null, now: number): Promise<void> => {
  if (nextExpiry === null) await storage.deleteAlarm()
  else await storage.setAlarm(Math.max(nextExpiry, now + MIN_PURGE_SPACING_MS))
}
