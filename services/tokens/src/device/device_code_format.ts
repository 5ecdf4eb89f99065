/**
 * Wire formats and routing of RFC 8628 codes. Both codes name the same
 * DeviceCodeStore shard without a lookup:
 * - user code: 8 characters from `BCDFGHJKLMNPQRSTVWXZ` (RFC 8628 §6.1 — no
 *   vowels, so no words; no 0/O, 1/I/L-style look-alikes since there are no
 *   digits), shown `XXXX-XXXX`; 20^8 ≈ 2^34.6 codes. The shard is
 *   `dc<NN>`, NN = stableHash32(normalised user code) mod 32.
 * - device code: `dc<NN>_<32 random bytes base64url>`, NN the user code's shard.
 * The user code is what a person types on another screen, so its shard must come
 * from its own text; the device code then just carries that shard in its prefix.
 */
import { randomBase64url, stableHash32 } from "@authrim/platform"

/** Number of DeviceCodeStore shards. */
export const deviceShardCount = 32

/** The user-code alphabet (RFC 8628 §6.1 example: consonants only). */
export const userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"

/** Characters in a user code (without the dash). */
export const userCodeLength = 8

const devicePattern = /^dc(\d{2})_[A-Za-z0-9_-]{43}$/
const normalisedPattern = new RegExp(`^[${userCodeAlphabet}]{${userCodeLength}}$`)

const twoDigits = (n: number): string => n.toString().padStart(2, "0")

/** DeviceCodeStore object name of shard `index`. */
export const deviceShardName = (index: number): string => `dc${twoDigits(index)}`

/** Shard index (0..31) of a normalised user code. */
export const userCodeShardIndex = (normalised: string): number => stableHash32(normalised) % deviceShardCount

/**
 * What a person typed, as stored: upper case, dashes and spaces removed.
 * Null when it cannot be a user code (wrong length or character).
 */
export const normaliseUserCode = (typed: string): string | null => {
  const normalised = typed.toUpperCase().replace(/[\s-]/g, "")
  return normalisedPattern.test(normalised) ? normalised : null
}

/** Display form `XXXX-XXXX` of a normalised user code. */
export const displayUserCode = (normalised: string): string => `${normalised.slice(0, 4)}-${normalised.slice(4)}`

/**
 * A uniformly random normalised user code. Rejection sampling: 256 is not a
 * multiple of 20, so bytes ≥ 240 are drawn again (no bias towards early letters).
 */
export const newUserCode = (): string => {
  let code = ""
  while (code.length < userCodeLength) {
    for (const byte of crypto.getRandomValues(new Uint8Array(userCodeLength * 2))) {
      if (byte < 240 && code.length < userCodeLength) code += userCodeAlphabet[byte % userCodeAlphabet.length]
    }
  }
  return code
}

/** A fresh device code routed to the shard of `normalisedUserCode`. */
export const newDeviceCode = (normalisedUserCode: string): string =>
  `${deviceShardName(userCodeShardIndex(normalisedUserCode))}_${randomBase64url(32)}`

/** The shard a device code names, or null when the string is not one of our device codes. */
export const deviceCodeShardOf = (deviceCode: string): string | null => {
  const match = devicePattern.exec(deviceCode)
  if (match === null) return null
  const index = Number(match[1])
  return index < deviceShardCount ? deviceShardName(index) : null
}

/** The shard of a typed user code, or null when it is not one. */
export const userCodeShardOf = (typed: string): string | null => {
  const normalised = normaliseUserCode(typed)
  return normalised === null ? null : deviceShardName(userCodeShardIndex(normalised))
}
