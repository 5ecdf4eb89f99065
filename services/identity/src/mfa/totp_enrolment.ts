/**
 * TOTP enrolment and removal. Enrolment is two steps so that a user whose app
 * never got the secret is not locked out: `begin` stores a pending secret and
 * returns it once (with the otpauth URI); only `confirm` with a first valid
 * code turns TOTP on — and that is when the recovery codes are made and shown.
 */
import { randomBytes } from "@authrim/platform"
import { InvalidCredentials, NotFound, OAuthError } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { base32Decode, base32Encode } from "./base32.ts"
import { newRecoveryCodes, recoveryCodeHashes } from "./recovery_codes.ts"
import { matchTotp, verifySecondFactor } from "./second_factor.ts"
import { TOTP_DIGITS, TOTP_STEP_SECONDS } from "./totp_code.ts"
import { confirmPendingSecret, deleteTotp, readTotpRow, replaceRecoveryCodes, storePendingSecret } from "./totp_rows.ts"
import { mfaKeyMaterial } from "./mfa_key.ts"
import { encryptTotpSecret } from "./totp_secret_cipher.ts"
import { findUserRow } from "../users/users.ts"

/** RFC 4226 §4 R6 recommends 160 bits: the HMAC-SHA-1 block-friendly secret length. */
const SECRET_BYTES = 20
/** Shortest secret a caller may give (the seed): 128 bits. */
const MIN_GIVEN_SECRET_BYTES = 16

/** The user's second-factor status. */
export const getMfaStatus = Effect.fnUntraced(function*(input: { readonly userId: string }) {
  const row = yield* readTotpRow(input.userId)
  const totpEnabled = row !== null && row.confirmed_at !== null
  return { totpEnabled, totpPending: row !== null && !totpEnabled, recoveryCodesLeft: totpEnabled ? row.recovery_codes_left : 0 }
})

/**
 * The Key Uri Format of Google Authenticator (the de-facto standard): label
 * `issuer:account`, with `issuer` repeated as a parameter (apps prefer it).
 */
export const otpauthUri = (issuer: string, account: string, secret: string): string => {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`
  const params = new URLSearchParams({ secret, issuer, algorithm: "SHA1", digits: String(TOTP_DIGITS), period: String(TOTP_STEP_SECONDS) })
  return `otpauth://totp/${label}?${params.toString().replace(/\+/g, "%20")}`
}

/** Starts (or restarts) an enrolment; the secret is returned here and never again. */
export const beginTotpEnrolment = Effect.fnUntraced(function*(input: { readonly userId: string; readonly issuer: string; readonly secret?: string | undefined }) {
  const material = yield* mfaKeyMaterial
  const user = yield* findUserRow(input.userId)
  // A given secret (the local seed's `totp_secret`): base32, at least 128 bits (RFC 4226 §4 asks for 128, recommends 160).
  const given = input.secret === undefined ? undefined : base32Decode(input.secret)
  if (given === null || (given !== undefined && given.length < MIN_GIVEN_SECRET_BYTES)) {
    return yield* new OAuthError({ code: "invalid_request", description: "the TOTP secret must be base32 of at least 128 bits" })
  }
  const secret = given ?? randomBytes(SECRET_BYTES)
  const ciphertext = yield* encryptTotpSecret(material, user.id, secret)
  const now = yield* Clock.currentTimeMillis
  if (!(yield* storePendingSecret(user.id, ciphertext, now))) {
    return yield* new OAuthError({ code: "invalid_request", description: "two-step verification is already on; turn it off first" })
  }
  const encoded = base32Encode(secret)
  return { secret: encoded, otpauthUri: otpauthUri(input.issuer, user.email, encoded) }
})

/** Confirms the pending enrolment with a first code (spent) and returns the recovery codes, once. */
export const confirmTotpEnrolment = Effect.fnUntraced(function*(input: { readonly userId: string; readonly code: string }) {
  const material = yield* mfaKeyMaterial
  const row = yield* readTotpRow(input.userId)
  if (row === null || row.confirmed_at !== null) return yield* new NotFound({ what: "pending TOTP enrolment" })
  const typed = input.code.replace(/\s/g, "")
  const step = /^\d{6}$/.test(typed) ? yield* matchTotp(material, row, typed) : null
  if (step === null) return yield* new InvalidCredentials()
  const recoveryCodes = newRecoveryCodes()
  const codeHashes = yield* recoveryCodeHashes(input.userId, recoveryCodes)
  const now = yield* Clock.currentTimeMillis
  const won = yield* confirmPendingSecret({ userId: input.userId, ciphertext: row.secret_ciphertext, step, codeHashes, now })
  if (!won) return yield* new InvalidCredentials()
  return { recoveryCodes }
})

/** Turns TOTP off after a valid code or recovery code (spent, so it cannot also sign in). */
export const disableTotp = Effect.fnUntraced(function*(input: { readonly userId: string; readonly code: string }) {
  yield* verifySecondFactor(input)
  yield* deleteTotp(input.userId)
  return {}
})

/** New recovery codes for a user with TOTP on (the old ones stop working); returned here and never again. */
export const regenerateRecoveryCodes = Effect.fnUntraced(function*(input: { readonly userId: string }) {
  const recoveryCodes = newRecoveryCodes()
  const codeHashes = yield* recoveryCodeHashes(input.userId, recoveryCodes)
  const now = yield* Clock.currentTimeMillis
  if (!(yield* replaceRecoveryCodes(input.userId, codeHashes, now))) return yield* new NotFound({ what: "TOTP" })
  return { recoveryCodes }
})
