/**
 * Client secrets at rest: `sha256$<hex>`. A fast hash is enough here ONLY
 * because every secret is high-entropy: generated ones are 256 random bits
 * ({@link generateClientSecret}), and a supplied one must be at least
 * `MIN_CLIENT_SECRET_LENGTH` (32) characters (client_metadata.ts), so there
 * is no dictionary to grind through (unlike user passwords, which get
 * PBKDF2). Comparison is constant time.
 */
import { base64url, randomBytes, sha256Hex, timingSafeEqual } from "@authrim/platform"
import { Effect } from "effect"

const PREFIX = "sha256$"

/** The stored form of a client secret. */
export const hashClientSecret = (secret: string): Effect.Effect<string> => sha256Hex(secret).pipe(Effect.map((hex) => PREFIX + hex))

/** True when `secret` hashes to `stored` (compared in constant time). */
export const verifyClientSecret = (secret: string, stored: string): Effect.Effect<boolean> =>
  hashClientSecret(secret).pipe(Effect.map((presented) => timingSafeEqual(presented, stored)))

/** A new client secret: 32 random bytes (256 bits), base64url — 43 characters. */
export const generateClientSecret = (): string => base64url(randomBytes(32))
