/**
 * Cookie secrets at rest: only SHA-256 is stored, compared in constant time
 * (`crypto.subtle.timingSafeEqual`), so neither the D1 copy nor a timing
 * side channel reveals a usable cookie.
 */
import { Effect } from "effect"
import { base64url, fromBase64url, sha256Bytes } from "@authrim/platform"

/** base64url of 32 bytes; anything else in a row can never match. */
const STORED_HASH_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** base64url(SHA-256(secret)) — the form stored in the session's data. */
export const hashCookieSecret = (secret: string): Effect.Effect<string> => sha256Bytes(secret).pipe(Effect.map(base64url))

/** Whether `secret` hashes to `storedHash`, compared in constant time. */
export const cookieSecretMatches = (secret: string, storedHash: string): Effect.Effect<boolean> =>
  sha256Bytes(secret).pipe(
    Effect.map((presented) => {
      if (!STORED_HASH_PATTERN.test(storedHash)) return false
      const stored = fromBase64url(storedHash)
      return stored !== null && stored.byteLength === presented.byteLength && crypto.subtle.timingSafeEqual(presented, stored)
    })
  )
