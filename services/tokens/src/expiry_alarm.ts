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

/** After a purge: arm the alarm for the next expiry, or clear it when nothing is left. */
export const rearmExpiryAlarm = async (storage: DurableObjectStorage, nextExpiry: number | null): Promise<void> => {
  if (nextExpiry === null) await storage.deleteAlarm()
  else await storage.setAlarm(nextExpiry)
}
