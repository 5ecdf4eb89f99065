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
import { auditSecondFactor } from "../identity_audit.ts"
import { accountDisabled, isUserDisabled } from "../users/user_disabled.ts"

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

/**
 * Checks and spends `code` for `userId`; audited as `second_factor.succeeded`
 * or `.failed` with the method and (operator-only) reason, never the code.
 */
export const verifySecondFactor = Effect.fnUntraced(function*(input: { readonly userId: string; readonly code: string }) {
  // First: without the key, every answer is the configuration error (not "no TOTP", which would be a guess).
  const material = yield* mfaKeyMaterial
  const { userId } = input
  const row = yield* readTotpRow(userId)
  const typed = input.code.replace(/\s/g, "")
  const method: SecondFactorKind = totpShape.test(typed) ? "totp" : "recovery_code"
  const refuse = (reason: string) =>
    auditSecondFactor({ userId, method, outcome: "failure", reason }).pipe(Effect.andThen(Effect.fail(new InvalidCredentials())))
  if (row === null || row.confirmed_at === null) return yield* refuse("not_enrolled")
  // Issue 12: disabled between the first factor and this step — refused before a code or recovery code is spent.
  if (yield* isUserDisabled(userId)) {
    return yield* auditSecondFactor({ userId, method, outcome: "failure", reason: "account_disabled" }).pipe(Effect.andThen(Effect.fail(accountDisabled())))
  }
  const now = yield* Clock.currentTimeMillis
  if (method === "totp") {
    const step = yield* matchTotp(material, row, typed)
    if (step === null) return yield* refuse("no_match")
    if (step <= row.last_used_step || !(yield* spendTotpStep(userId, step, now))) return yield* refuse("replayed")
    yield* auditSecondFactor({ userId, method, outcome: "success" })
    return { kind: method, recoveryCodesLeft: row.recovery_codes_left }
  }
  const normalised = normaliseRecoveryCode(input.code)
  if (normalised === null) return yield* refuse("malformed")
  const hash = yield* recoveryCodeHash(userId, normalised)
  if (!(yield* spendRecoveryCode(userId, hash, now))) return yield* refuse("no_match")
  const recoveryCodesLeft = Math.max(0, row.recovery_codes_left - 1)
  yield* auditSecondFactor({ userId, method, outcome: "success", recoveryCodesLeft })
  return { kind: method, recoveryCodesLeft }
})
