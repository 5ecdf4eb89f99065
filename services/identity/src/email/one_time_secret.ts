/**
 * One-time secrets of emailed links (magic links, password resets): 32 random
 * bytes, base64url in the link, only their SHA-256 (hex) at rest, compared in
 * constant time. A fast hash is right here: the secret has 256 bits of
 * entropy, so there is nothing to brute-force (passwords get PBKDF2).
 */
import { base64url, constantTimeEqual, toHex } from "@authrim/platform"

/** A fresh secret for a link (43 base64url characters). */
export const newLinkSecret = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)))

/** Hex SHA-256 of a secret: the only form stored. */
export const sha256Hex = async (secret: string): Promise<string> =>
  toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret))))

/** True when `secret` hashes to `storedHex` (constant time). */
export const matchesDigest = async (secret: string, storedHex: string): Promise<boolean> => {
  const encoder = new TextEncoder()
  return constantTimeEqual(encoder.encode(await sha256Hex(secret)), encoder.encode(storedHex))
}
