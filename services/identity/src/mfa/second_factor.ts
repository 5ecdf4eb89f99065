/**
 * Checking a second factor at sign-in (and before disabling TOTP): a 6-digit
 * TOTP code within ±1 step, or a recovery code, each spent atomically. Every
 * failure is the same `InvalidCredentials` — wrong, replayed, expired, or no
 * TOTP at all — so the answer tells a guesser nothing more than "no".
 */
import { InvalidCredentials, type SecondFactorKind } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { normaliseRecoveryCode, recoveryCodeHash } from "./recovery_codes.ts"
import { matchingTotpStep } from "./totp_code.ts"
import { readTotpRow, spendRecoveryCode, spendTotpStep, type TotpRow } from "./totp_rows.ts"
import { mfaKeyMaterial } from "./mfa_key.ts"
import { decryptTotpSecret } from "./totp_secret_cipher.ts"

/** A 6-digit TOTP code (spaces allowed, as apps show `123 456`). */
const totpShape = /^\d{6}$/

/** The step a TOTP code of `row`'s secret matches now, or null. */
export const matchTotp = Effect.fnUntraced(function*(material: string, row: TotpRow, code: string) {
  const secret = yield* decryptTotpSecret(material, row.user_id, row.secret_ciphertext)
  if (secret === null) {
    // Wrong key or a damaged row: an operator problem, not a wrong code; say so in the logs.
    yield* Effect.logError("TOTP secret does not decrypt (MFA_ENCRYPTION_KEY changed?)", row.user_id)
    return null
  }
  const now = yield* Clock.currentTimeMillis
  return yield* matchingTotpStep(secret, code, now)
})

/** Checks and spends `code` for `userId`. */
export const verifySecondFactor = Effect.fnUntraced(function*(input: { readonly userId: string; readonly code: string }) {
  // First: without the key, every answer is the configuration error (not "no TOTP", which would be a guess).
  const material = yield* mfaKeyMaterial
  const row = yield* readTotpRow(input.userId)
  if (row === null || row.confirmed_at === null) return yield* new InvalidCredentials()
  const now = yield* Clock.currentTimeMillis
  const typed = input.code.replace(/\s/g, "")
  if (totpShape.test(typed)) {
    const step = yield* matchTotp(material, row, typed)
    if (step === null || step <= row.last_used_step || !(yield* spendTotpStep(input.userId, step, now))) {
      return yield* new InvalidCredentials()
    }
    const kind: SecondFactorKind = "totp"
    return { kind, recoveryCodesLeft: row.recovery_codes_left }
  }
  const normalised = normaliseRecoveryCode(input.code)
  if (normalised === null) return yield* new InvalidCredentials()
  const hash = yield* recoveryCodeHash(input.userId, normalised)
  if (!(yield* spendRecoveryCode(input.userId, hash, now))) return yield* new InvalidCredentials()
  const kind: SecondFactorKind = "recovery_code"
  return { kind, recoveryCodesLeft: Math.max(0, row.recovery_codes_left - 1) }
})
