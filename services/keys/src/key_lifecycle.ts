/**
 * Key lifecycle: create on first use, rotate every 90 days, delete retired keys
 * after their 30-day verification window. Zero-downtime: the new key and the
 * retired one are both in the JWKS from the moment of rotation, so a token
 * signed by either verifies.
 */
import { auditEvent, AuditTrail } from "@authrim/audit-trail"
import type { AuditEvent } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import type { KeyInfo, SigningAlg, Unavailable } from "@authrim/contracts"
import { generateSigningKey } from "./key_generation.ts"
import { isPastVerifyWindow, isRotationDue, retiresAt, signingAlgs, verifyWindowMs } from "./key_policy.ts"
import { KeyStore, type StoredKey } from "./key_store.ts"

/** The active key of `alg`, if there is one. */
export const activeKeyOf = (keys: ReadonlyArray<StoredKey>, alg: SigningAlg): StoredKey | undefined =>
  keys.find((key) => key.active && key.alg === alg)

/** True when the key set at `now` lacks an alg, holds an overdue key, or holds a key past its window. */
export const needsMaintenance = (keys: ReadonlyArray<StoredKey>, now: number): boolean =>
  signingAlgs.some((alg) => {
    const active = activeKeyOf(keys, alg)
    return active === undefined || isRotationDue(active.createdAt, now)
  }) || keys.some((key) => key.retiredAt !== null && isPastVerifyWindow(key.retiredAt, now))

/** Keys that may verify at `now`: active ones and retired ones inside their window. */
export const publishedKeys = (keys: ReadonlyArray<StoredKey>, now: number): ReadonlyArray<StoredKey> =>
  keys.filter((key) => key.retiredAt === null || !isPastVerifyWindow(key.retiredAt, now))

/** The contract's view of a key (no private material). */
export const toKeyInfo = (key: StoredKey): typeof KeyInfo.Type => ({
  kid: key.kid,
  alg: key.alg,
  createdAt: key.createdAt,
  active: key.active,
  retiresAt: key.retiredAt === null ? null : retiresAt(key.retiredAt)
})

/**
 * Brings the key set up to date at the current `Clock` time: creates a key for
 * every alg that has none, replaces an active key that is due (or every active
 * key when `force`), deletes retired keys past their window. Callers serialise
 * it (see KeyManager) so concurrent first uses create one key per alg.
 */
export const maintainKeys = Effect.fnUntraced(function*(force: boolean): Effect.fn.Return<ReadonlyArray<StoredKey>, Unavailable, KeyStore | AuditTrail> {
  const store = yield* KeyStore
  const now = yield* Clock.currentTimeMillis
  const keys = yield* store.all
  const rotated: Array<AuditEvent> = []
  for (const alg of signingAlgs) {
    const active = activeKeyOf(keys, alg)
    if (active === undefined || force || isRotationDue(active.createdAt, now)) {
      const key = yield* generateSigningKey(alg)
      yield* store.activate(key, now, active?.kid)
      rotated.push(keyRotated(key.kid, alg, active?.kid ?? null, active === undefined ? "initial" : force ? "forced" : "scheduled", now))
    }
  }
  yield* store.deleteRetiredBefore(now - verifyWindowMs)
  // One message for every key this run activated (issue 11 §2), recorded once they are stored.
  yield* AuditTrail.use((trail) => trail.record(rotated))
  return publishedKeys(yield* store.all, now)
})

/**
 * `key.rotated`, by the system: `initial` (first key of an alg), `scheduled` (90 days old, found due by the daily
 * cron or by any use), `forced` (the `rotate` RPC with force). Public facts only: kids and alg.
 */
const keyRotated = (kid: string, alg: SigningAlg, previousKid: string | null, reason: "initial" | "scheduled" | "forced", at: number): AuditEvent =>
  auditEvent({
    type: "key.rotated", actor: { kind: "system", id: "authrim-keys" }, subject: { kind: "signing_key", id: kid }, at,
    details: { kid, alg, previous_kid: previousKid, reason }
  })
