/**
 * Password storage: PBKDF2-HMAC-SHA256 through WebCrypto, 16-byte random salt
 * per user, 32-byte derived key, stored self-describing as
 * `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>` so the cost can be
 * raised later without breaking existing hashes (verification reads the stored
 * iteration count). 100,000 iterations is the most Cloudflare's production
 * runtime accepts in one call ("Pbkdf2 failed: iteration counts above 100000
 * are not supported", workerd issue #1346), which is why it is the cost here
 * rather than OWASP's 600,000 for SHA-256. Local workerd does NOT enforce that
 * ceiling (a test pins this), so the ceiling is enforced here instead: no hash
 * is written, or verified, above it — a hash that passes tests locally would
 * otherwise break every sign-in in production.
 */
import { Unavailable } from "@authrim/contracts"
import { base64url, constantTimeEqual, fromBase64url, randomBytes } from "@authrim/platform"
import { Effect } from "effect"
import { serviceName } from "../identity_bindings.ts"

/** Cloudflare production's PBKDF2 iteration ceiling, used for every new hash and the most a stored hash may ask for. */
export const PBKDF2_ITERATIONS = 100_000
const SALT_BYTES = 16
const HASH_BYTES = 32
const SCHEME = "pbkdf2-sha256"

/** PBKDF2 through WebCrypto; a runtime that refuses the derivation (e.g. over its iteration ceiling) is `Unavailable`, never a silent mismatch. */
const derive = (password: string, salt: Uint8Array, iterations: number): Effect.Effect<Uint8Array, Unavailable> =>
  Effect.tryPromise({
    try: async () => {
      const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"])
      return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BYTES * 8))
    },
    catch: (cause) => new Unavailable({ service: serviceName, reason: `PBKDF2: ${cause instanceof Error ? cause.message : String(cause)}` })
  })

/** Hashes a password with a fresh salt at the current cost. */
export const hashPassword = (password: string): Effect.Effect<string, Unavailable> => {
  const salt = randomBytes(SALT_BYTES)
  return derive(password, salt, PBKDF2_ITERATIONS).pipe(
    Effect.map((hash) => `${SCHEME}$${PBKDF2_ITERATIONS}$${base64url(salt)}$${base64url(hash)}`)
  )
}

/** The parts of a stored hash, or null when it is not one this code wrote. */
export const parsePasswordHash = (stored: string) => {
  const [scheme, iterationsText, saltText, hashText, ...extra] = stored.split("$")
  if (scheme !== SCHEME || extra.length > 0 || iterationsText === undefined || saltText === undefined || hashText === undefined) return null
  const iterations = Number(iterationsText)
  const salt = fromBase64url(saltText)
  const hash = fromBase64url(hashText)
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return null
  if (salt === null || hash === null || hash.byteLength !== HASH_BYTES) return null
  return { iterations, salt, hash }
}

/**
 * Verifies `password` against a stored hash in constant time. A hash this code
 * cannot read still costs one full derivation (against the dummy), so a broken
 * row is not distinguishable by timing either.
 */
export const verifyPassword = Effect.fnUntraced(function*(password: string, stored: string) {
  const parsed = parsePasswordHash(stored)
  const target = parsed ?? parsePasswordHash(DUMMY_PASSWORD_HASH)
  if (target === null) return false
  const candidate = yield* derive(password, target.salt, target.iterations)
  return constantTimeEqual(candidate, target.hash) && parsed !== null
})

/**
 * A valid hash of a random, discarded password. Verifying against it when the
 * email is unknown (or has no password) makes "no such user" cost the same
 * PBKDF2 run as "wrong password", so timing does not reveal account existence.
 */
export const DUMMY_PASSWORD_HASH =
  "pbkdf2-sha256$100000$Vq0e3y8q7W5mJgVhY0aQ2A$qk3l0oWmZ3Bq2lJq9mQ0sQWJ3aDb0dHcT9cFQnE6b8Y"
