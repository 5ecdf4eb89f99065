/**
 * ULIDs (https://github.com/ulid/spec): 48-bit millisecond time + 80 random
 * bits in Crockford base32, 26 characters. Lexicographic order is time order,
 * so audit entries sort and paginate by id and an archive object can be named
 * by its first and last id.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** The 10-character time part of a ULID minted at `ms` (epoch milliseconds, 0 ≤ ms < 2^48). */
export const ulidTime = (ms: number): string => {
  let time = Math.floor(ms)
  let out = ""
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[time % 32] + out
    time = Math.floor(time / 32)
  }
  return out
}

/** A new ULID at `ms`. */
export const ulid = (ms: number = Date.now()): string => {
  const random = crypto.getRandomValues(new Uint8Array(16))
  let out = ulidTime(ms)
  for (let i = 0; i < 16; i++) out += ALPHABET[random[i]! & 31]
  return out
}

/** The epoch milliseconds a ULID was minted at, or null when `id` is not a ULID. */
export const ulidTimestamp = (id: string): number | null => {
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(id)) return null
  let time = 0
  for (const char of id.slice(0, 10)) time = time * 32 + ALPHABET.indexOf(char)
  return time
}
