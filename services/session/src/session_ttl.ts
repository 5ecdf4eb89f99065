/**
 * Session lifetime. 24 h is the default a browser session lives without a new
 * sign-in (DESIGN §2 SessionStore); callers may ask for another TTL
 * (`ttlSeconds`, e.g. a short step-up session or a "remember me" one).
 */

/** Default session lifetime: 24 hours. */
export const DEFAULT_SESSION_TTL_SECONDS = 24 * 60 * 60

/** Upper bound: 400 days, the longest a browser keeps a cookie (RFC 6265bis §5.5). */
export const MAX_SESSION_TTL_SECONDS = 400 * 24 * 60 * 60

/** The TTL in ms for a requested `ttlSeconds`: default when absent or NaN, clamped to [1 s, 400 days]. */
export const sessionTtlMs = (ttlSeconds: number | undefined): number => {
  if (ttlSeconds === undefined || Number.isNaN(ttlSeconds)) return DEFAULT_SESSION_TTL_SECONDS * 1000
  return Math.round(Math.min(Math.max(ttlSeconds, 1), MAX_SESSION_TTL_SECONDS) * 1000)
}
