/**
 * Cookie secrets at rest: only SHA-256 is stored, compared in constant time
 * (`crypto.subtle.timingSafeEqual`), so neither the D1 copy nor a timing
 * side channel reveals a usable cookie.
 */
import { Effect } from "effect"
import { fromBase64Url, toBase64Url } from "./session_id.ts"

/** base64url of 32 bytes; anything else in a row can never match. */
const STORED_HASH_PATTERN = /^[A-Za-z0-9_-]{43}$/

const digest = (secret: string): Effect.Effect<Uint8Array> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret))).pipe(
    Effect.map((buffer) => new Uint8Array(buffer))
  )

/** base64url(SHA-256(secret)) — the form stored in the session's data. */
export const hashCookieSecret = (secret: string): Effect.Effect<string> => digest(secret).pipe(Effect.map(toBase64Url))

/** Whether `secret` hashes to `storedHash`, compared in constant time. */
export const cookieSecretMatches = (secret: string, storedHash: string): Effect.Effect<boolean> =>
  digest(secret).pipe(
    Effect.map((presented) => {
      if (!STORED_HASH_PATTERN.test(storedHash)) return false
      const stored = fromBase64Url(storedHash)
      return stored.byteLength === presented.byteLength && crypto.subtle.timingSafeEqual(presented, stored)
    })
  )
