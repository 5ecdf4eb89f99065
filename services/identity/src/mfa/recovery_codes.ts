/**
 * Recovery codes: ten per user, each 12 characters of Crockford's base32
 * (60 random bits), shown as `xxxx-xxxx-xxxx`. Stored only as the hex SHA-256
 * of `<userId>:<normalised code>` — the user id salts the hash, and 60 bits
 * leave nothing to guess online behind the rate limits. Input is forgiving:
 * case, dashes and spaces are ignored and the look-alikes o/i/l read as 0/1.
 */
import { sha256Hex } from "@authrim/platform"
import { Effect } from "effect"

/** Codes issued at enrolment. */
export const RECOVERY_CODE_COUNT = 10
const CODE_LENGTH = 12
/** Crockford's base32: no i, l, o, u (32 symbols, so a random byte & 31 is unbiased). */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"

/** One fresh code, formatted for display. */
const newRecoveryCode = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH))
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31]).join("")
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`
}

/** A fresh set of {@link RECOVERY_CODE_COUNT} distinct codes. */
export const newRecoveryCodes = (): Array<string> => {
  const codes = new Set<string>()
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode())
  return [...codes]
}

/** The canonical form of what a user typed, or null when it cannot be a recovery code. */
export const normaliseRecoveryCode = (input: string): string | null => {
  const text = input.toLowerCase().replace(/[\s-]/g, "").replace(/o/g, "0").replace(/[il]/g, "1")
  return text.length === CODE_LENGTH && [...text].every((c) => ALPHABET.includes(c)) ? text : null
}

/** What is stored for a code (its hash, salted by the user id). */
export const recoveryCodeHash = (userId: string, normalised: string): Effect.Effect<string> => sha256Hex(`${userId}:${normalised}`)

/** The stored hashes of freshly issued `codes` of `userId`. */
export const recoveryCodeHashes = (userId: string, codes: ReadonlyArray<string>): Effect.Effect<Array<string>> =>
  Effect.forEach(codes, (code) => recoveryCodeHash(userId, normaliseRecoveryCode(code) ?? code))
