/**
 * Password hashing of the reference provider: PBKDF2-SHA256, 100,000
 * iterations, a random 16-byte salt per user — the same work Authrim's
 * identity service does in workerd, so a sign-in costs both sides one
 * comparable key derivation. Node's async `pbkdf2` runs on the libuv pool.
 */
import { pbkdf2, randomBytes, timingSafeEqual } from "node:crypto"
import { promisify } from "node:util"

const derive = promisify(pbkdf2)

export const PBKDF2_ITERATIONS = 100_000

/** A stored password: salt and derived key. */
export interface PasswordHash {
  readonly salt: Buffer
  readonly hash: Buffer
}

/** Hashes `password` with a fresh salt. */
export const hashPassword = async (password: string): Promise<PasswordHash> => {
  const salt = randomBytes(16)
  return { salt, hash: await derive(password, salt, PBKDF2_ITERATIONS, 32, "sha256") }
}

/** True when `password` derives to the stored hash (constant-time comparison). */
export const verifyPassword = async (password: string, stored: PasswordHash): Promise<boolean> => {
  const candidate = await derive(password, stored.salt, PBKDF2_ITERATIONS, 32, "sha256")
  return timingSafeEqual(candidate, stored.hash)
}
