/**
 * Public session ids and browser cookie values.
 *
 * - Session id: `s07_<22 base64url chars>` — the two digits are the shard
 *   (so any id routes to its SessionStore without an index), followed by
 *   128 random bits. The id is public (ID token `sid`, account page).
 * - Cookie value: `<id>.<43 base64url chars>` — the id plus a 256-bit secret.
 *   Only SHA-256 of the secret is stored (`session_secret.ts`), so a leaked
 *   `sid` or a leaked D1 row never lets anyone ride the session.
 */
import { randomBase64url } from "@authrim/platform"
import { SESSION_SHARD_COUNT } from "./session_shard.ts"

const ID_PATTERN = /^s(\d{2})_[A-Za-z0-9_-]{22}$/
const COOKIE_PATTERN = /^(s\d{2}_[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/

/** A fresh session id living in `shard`. */
export const newSessionId = (shard: number): string => `s${String(shard).padStart(2, "0")}_${randomBase64url(16)}`

/** A fresh 256-bit cookie secret. */
export const newCookieSecret = (): string => randomBase64url(32)

/** The browser cookie value of a session. */
export const formatCookie = (sessionId: string, secret: string): string => `${sessionId}.${secret}`

/** The shard named inside a session id, or `undefined` when the id is malformed. */
export const shardOfSessionId = (sessionId: string): number | undefined => {
  const match = ID_PATTERN.exec(sessionId)
  if (match === null || match[1] === undefined) return undefined
  const shard = Number(match[1])
  return shard < SESSION_SHARD_COUNT ? shard : undefined
}

/** A cookie value split into id and secret, or `undefined` when malformed. */
export const parseCookie = (cookie: string): { readonly sessionId: string; readonly secret: string } | undefined => {
  const match = COOKIE_PATTERN.exec(cookie)
  if (match === null || match[1] === undefined || match[2] === undefined) return undefined
  return { sessionId: match[1], secret: match[2] }
}
