/**
 * One-time secrets of emailed links (magic links, password resets): 32 random
 * bytes, base64url in the link, only their SHA-256 (hex) at rest, compared in
 * constant time. A fast hash is right here: the secret has 256 bits of
 * entropy, so there is nothing to brute-force (passwords get PBKDF2).
 */
import { base64url, sha256Hex, timingSafeEqual } from "@authrim/platform"
import { Effect } from "effect"

/** A fresh secret for a link (43 base64url characters). */
export const newLinkSecret = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)))

/** True when `secret` hashes (hex SHA-256, the only form stored) to `storedHex`, compared in constant time. */
export const matchesDigest = (secret: string, storedHex: string): Effect.Effect<boolean> =>
  sha256Hex(secret).pipe(Effect.map((hex) => timingSafeEqual(hex, storedHex)))
