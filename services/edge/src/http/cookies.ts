/**
 * The edge's cookies (see storage-schema.md): always `HttpOnly; Secure;
 * SameSite=Lax; Path=/`, never a `Domain`, and every name carries the
 * `__Host-` prefix (RFC 6265bis §4.1.3.2): the browser then accepts the cookie
 * only from a secure origin, for this exact host and path `/`, so a sibling
 * subdomain or a plain-http response cannot plant or shadow a session or CSRF
 * cookie (cookie tossing). Always, not only in production: browsers treat
 * `http://localhost` and `http://127.0.0.1` as secure for cookies, so `npm
 * start` works the same. Lax, not Strict, because the RP's top-level redirect
 * back into `/authorize` must carry the session cookie.
 */

/** The browser session cookie (value from `SESSION.create`). */
export const SESSION_COOKIE = "__Host-authrim_session"
/** The double-submit CSRF secret of this browser. */
export const CSRF_COOKIE = "__Host-authrim_csrf"
/** The remembered-device cookie of password sign-in (http/device_cookie.ts): `__Host-` — Secure, Path=/, no Domain. */
export const DEVICE_COOKIE = "__Host-authrim_device"

/** The value of cookie `name`, if the request carries it (first occurrence wins). */
export const readCookie = (request: Request, name: string): string | undefined => {
  const header = request.headers.get("cookie")
  if (header === null) return undefined
  for (const part of header.split(";")) {
    const eq = part.indexOf("=")
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim()
      return value === "" ? undefined : value
    }
  }
  return undefined
}

/** A `__Host-` cookie name: the prefix is part of every name the edge sets. */
export type HostCookieName = `__Host-${string}`

/** A `Set-Cookie` value with the edge's fixed attributes (`__Host-` rules: Secure, Path=/, no Domain); `maxAgeSeconds` 0 deletes the cookie. */
export const cookieHeader = (name: HostCookieName, value: string, maxAgeSeconds: number): string =>
  `${name}=${value}; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`

/** A copy of `response` with extra `Set-Cookie` headers (redirect responses have immutable headers). */
export const withCookies = (response: Response, cookies: ReadonlyArray<string>): Response => {
  if (cookies.length === 0) return response
  const copy = new Response(response.body, response)
  for (const cookie of cookies) copy.headers.append("set-cookie", cookie)
  return copy
}
