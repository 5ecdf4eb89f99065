/**
 * Client secrets at rest: `sha256$<hex>`. A fast hash is enough here because
 * client secrets are machine-generated with at least 128 bits of entropy, so
 * there is no dictionary to grind through (unlike user passwords, which get
 * PBKDF2). Comparison is constant time.
 */
import { toHex } from "./byte_encoding.ts"
import { constantTimeEqual } from "./constant_time.ts"

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
