/**
 * RFC 4648 §6 base32 (upper case, no padding): the encoding authenticator
 * apps expect for a TOTP secret in an `otpauth://` URI.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

/** Encodes bytes as unpadded base32. */
export const base32Encode = (bytes: Uint8Array): string => {
  let out = ""
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
    buffer &= (1 << bits) - 1
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]
  return out
}

/** Decodes base32 (case-insensitive, spaces and `=` ignored); `null` for a character outside the alphabet. */
export const base32Decode = (text: string): Uint8Array | null => {
  const clean = text.replace(/[\s=]/g, "").toUpperCase()
  const out: Array<number> = []
  let buffer = 0
  let bits = 0
  for (const char of clean) {
    const value = ALPHABET.indexOf(char)
    if (value < 0) return null
    buffer = (buffer << 5) | value
    bits += 5
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 255)
      bits -= 8
    }
    buffer &= (1 << bits) - 1
  }
  return Uint8Array.from(out)
}
