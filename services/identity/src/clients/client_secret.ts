/**
 * Client secrets at rest: `sha256$<hex>`. A fast hash is enough here ONLY
 * because every secret is high-entropy: generated ones are 256 random bits
 * ({@link generateClientSecret}), and a supplied one must be at least
 * `MIN_CLIENT_SECRET_LENGTH` (32) characters (client_metadata.ts), so there
 * is no dictionary to grind through (unlike user passwords, which get
 * PBKDF2). Comparison is constant time.
 */
import { base64url, constantTimeEqual, randomBytes, toHex } from "@authrim/platform"

const PREFIX = "sha256$"

const sha256 = async (text: string): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))

/** The stored form of a client secret. */
export const hashClientSecret = async (secret: string): Promise<string> => PREFIX + toHex(await sha256(secret))

/** True when `secret` hashes to `stored` (compared in constant time). */
export const verifyClientSecret = async (secret: string, stored: string): Promise<boolean> => {
  const presented = new TextEncoder().encode(await hashClientSecret(secret))
  return constantTimeEqual(presented, new TextEncoder().encode(stored))
}

/** A new client secret: 32 random bytes (256 bits), base64url — 43 characters. */
export const generateClientSecret = (): string => base64url(randomBytes(32))
