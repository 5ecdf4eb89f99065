/**
 * D1 access for `user_totp` and `user_recovery_codes` (migration 0004). Every
 * write that spends something is ONE conditional statement, so concurrent
 * callers race inside SQLite and exactly one wins. Each such write carries a
 * random `useId`: when the D1 retry policy replays a write whose answer was
 * lost, the replay matches its own earlier success instead of reporting a
 * replay — the write is idempotent, as DESIGN §1 asks.
 */
import { tryD1 } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

/** A user's TOTP row plus the count of unused recovery codes. */
export interface TotpRow {
  readonly user_id: string
  readonly secret_ciphertext: string
  readonly confirmed_at: number | null
  readonly last_used_step: number
  readonly recovery_codes_left: number
}

/** The user's TOTP row (pending or confirmed), or null. */
export const readTotpRow = Effect.fnUntraced(function*(userId: string) {
  const { db } = yield* IdentityBindings
  return yield* tryD1(serviceName, "user_totp.read", () =>
    db.prepare(
      `SELECT user_id, secret_ciphertext, confirmed_at, last_used_step,
         (SELECT COUNT(*) FROM user_recovery_codes r WHERE r.user_id = ?1 AND r.used_at IS NULL) AS recovery_codes_left
       FROM user_totp WHERE user_id = ?1`
    ).bind(userId).first<TotpRow>())
})

/**
 * Stores a new pending secret, replacing an older pending one; false when TOTP
 * is already confirmed (the row is then left untouched). Replaying it writes
 * the same values again.
 */
export const storePendingSecret = Effect.fnUntraced(function*(userId: string, ciphertext: string, now: number) {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "user_totp.begin", () =>
    db.prepare(
      `INSERT INTO user_totp (user_id, secret_ciphertext, confirmed_at, last_used_step, last_use_id, created_at, updated_at)
       VALUES (?1, ?2, NULL, -1, NULL, ?3, ?3)
       ON CONFLICT (user_id) DO UPDATE SET secret_ciphertext = excluded.secret_ciphertext, last_used_step = -1,
         last_use_id = NULL, created_at = excluded.created_at, updated_at = excluded.updated_at
       WHERE user_totp.confirmed_at IS NULL
       RETURNING user_id`
    ).bind(userId, ciphertext, now).first<{ user_id: string }>())
  return row !== null
})

/**
 * Confirms the pending enrolment whose secret is `ciphertext` (not one that a
 * concurrent re-enrolment replaced), spends `step`, and replaces the recovery
 * codes — all in one D1 batch (a transaction). The code inserts run only if
 * this call's confirmation won. True when it did.
 */
export const confirmPendingSecret = Effect.fnUntraced(function*(input: {
  readonly userId: string
  readonly ciphertext: string
  readonly step: number
  readonly codeHashes: ReadonlyArray<string>
  readonly now: number
}) {
  const { db } = yield* IdentityBindings
  const useId = crypto.randomUUID()
  const won = `EXISTS (SELECT 1 FROM user_totp WHERE user_id = ?1 AND last_use_id = ?2)`
  const results = yield* tryD1(serviceName, "user_totp.confirm", () =>
    db.batch([
      db.prepare(
        `UPDATE user_totp SET confirmed_at = ?3, last_used_step = ?4, last_use_id = ?2, updated_at = ?3
         WHERE user_id = ?1 AND secret_ciphertext = ?5 AND (confirmed_at IS NULL OR last_use_id = ?2)
         RETURNING user_id`
      ).bind(input.userId, useId, input.now, input.step, input.ciphertext),
      db.prepare(`DELETE FROM user_recovery_codes WHERE user_id = ?1 AND ${won}`).bind(input.userId, useId),
      db.prepare(
        `INSERT INTO user_recovery_codes (user_id, code_hash, used_at, use_id, created_at)
         SELECT ?1, value, NULL, NULL, ?3 FROM json_each(?4) WHERE ${won}`
      ).bind(input.userId, useId, input.now, JSON.stringify(input.codeHashes))
    ]))
  return (results[0]?.results.length ?? 0) > 0
})

/**
 * Spends TOTP time step `step` (RFC 6238 §5.2: a code is accepted once): the
 * stored last step must be older. True for the one caller that moved it.
 */
export const spendTotpStep = Effect.fnUntraced(function*(userId: string, step: number, now: number) {
  const { db } = yield* IdentityBindings
  const useId = crypto.randomUUID()
  const row = yield* tryD1(serviceName, "user_totp.spendStep", () =>
    db.prepare(
      `UPDATE user_totp SET last_used_step = ?2, last_use_id = ?3, updated_at = ?4
       WHERE user_id = ?1 AND confirmed_at IS NOT NULL
         AND (last_used_step < ?2 OR (last_used_step = ?2 AND last_use_id = ?3))
       RETURNING user_id`
    ).bind(userId, step, useId, now).first<{ user_id: string }>())
  return row !== null
})

/** Spends one unused recovery code by its hash; true for the one caller that did. */
export const spendRecoveryCode = Effect.fnUntraced(function*(userId: string, codeHash: string, now: number) {
  const { db } = yield* IdentityBindings
  const useId = crypto.randomUUID()
  const row = yield* tryD1(serviceName, "user_recovery_codes.spend", () =>
    db.prepare(
      `UPDATE user_recovery_codes SET used_at = ?3, use_id = ?4
       WHERE user_id = ?1 AND code_hash = ?2 AND (used_at IS NULL OR use_id = ?4)
       RETURNING user_id`
    ).bind(userId, codeHash, now, useId).first<{ user_id: string }>())
  return row !== null
})

/** Deletes the user's TOTP secret and recovery codes (idempotent). */
export const deleteTotp = Effect.fnUntraced(function*(userId: string) {
  const { db } = yield* IdentityBindings
  yield* tryD1(serviceName, "user_totp.delete", () =>
    db.batch([
      db.prepare("DELETE FROM user_recovery_codes WHERE user_id = ?").bind(userId),
      db.prepare("DELETE FROM user_totp WHERE user_id = ?").bind(userId)
    ]))
})

/**
 * Replaces the recovery codes of a user whose TOTP is confirmed, in one batch
 * (a transaction): the old set, used or not, is gone when the new one exists.
 * False when TOTP is not on (nothing written). A retried batch rewrites the
 * same hashes, so the D1 retry policy may replay it.
 */
export const replaceRecoveryCodes = Effect.fnUntraced(function*(userId: string, codeHashes: ReadonlyArray<string>, now: number) {
  const { db } = yield* IdentityBindings
  const enabled = "EXISTS (SELECT 1 FROM user_totp WHERE user_id = ?1 AND confirmed_at IS NOT NULL)"
  const results = yield* tryD1(serviceName, "user_recovery_codes.replace", () =>
    db.batch([
      db.prepare(`DELETE FROM user_recovery_codes WHERE user_id = ?1 AND ${enabled}`).bind(userId),
      db.prepare(
        `INSERT INTO user_recovery_codes (user_id, code_hash, used_at, use_id, created_at)
         SELECT ?1, value, NULL, NULL, ?2 FROM json_each(?3) WHERE ${enabled}`
      ).bind(userId, now, JSON.stringify(codeHashes))
    ]))
  return (results[1]?.meta.changes ?? 0) > 0
})
