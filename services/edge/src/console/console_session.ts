/**
 * The console's browser state (BFF pattern, draft-ietf-oauth-browser-based-apps §6.1):
 *
 * - `__Host-authrim_console`: the admin's access token itself, `HttpOnly; Secure;
 *   SameSite=Strict; Path=/`, Max-Age = the token's `expires_in`. No page script ever sees
 *   it; every console request presents it to the same checks as the admin API
 *   (admin_auth.ts `authenticateAdminToken`). Strict: no cross-site request carries it.
 * - `__Host-authrim_console_tx`: a sign-in in progress — `state`, `nonce`, the PKCE
 *   verifier and the console path to return to — for 10 minutes, `SameSite=Lax` (the
 *   redirect back from /authorize is a top-level navigation that must carry it).
 *
 * `__Host-` names (Secure, Path=/, no Domain) as every edge cookie (http/cookies.ts);
 * browsers treat http://127.0.0.1 and http://localhost as secure, so `npm start` works.
 *
 * CSRF: each form carries SHA-256("authrim-console-csrf:" + access token), base64url —
 * bound to this console session, unguessable without the HttpOnly cookie, and needing
 * no storage. A POST whose `csrf` differs is refused (console_router.ts), on top of
 * SameSite=Strict.
 */
import { Effect } from "effect"
import { readCookie } from "../http/cookies.ts"
import { base64url } from "@authrim/platform"
import { randomToken, RANDOM_TOKEN_SHAPE } from "../http/random_token.ts"

/** The console's public client (seeded by setup / `npm start`; scripts/seed/demo.json). */
export const CONSOLE_CLIENT_ID = "authrim-admin"
/** Where the console lives. */
export const CONSOLE_PATH = "/admin"
/** The console's redirect_uri path. */
export const CONSOLE_CALLBACK_PATH = "/admin/callback"
/** What the console asks for: an ID token and the admin API. */
export const CONSOLE_SCOPE = "openid admin"

export const CONSOLE_COOKIE = "__Host-authrim_console"
export const CONSOLE_TX_COOKIE = "__Host-authrim_console_tx"
/** How long a sign-in may take. */
export const CONSOLE_TX_SECONDS = 10 * 60

/** The redirect_uri of the console under `issuer`. */
export const consoleRedirectUri = (issuer: string): string => `${issuer}${CONSOLE_CALLBACK_PATH}`

/** A `Set-Cookie` of the console (`__Host-` rules); `maxAgeSeconds` 0 deletes it. */
export const consoleCookie = (name: typeof CONSOLE_COOKIE | typeof CONSOLE_TX_COOKIE, value: string, maxAgeSeconds: number): string =>
  `${name}=${value}; HttpOnly; Secure; SameSite=${name === CONSOLE_COOKIE ? "Strict" : "Lax"}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`

/** The access token of this browser's console session, if it holds one that looks like a JWT. */
export const consoleToken = (request: Request): string | undefined => {
  const token = readCookie(request, CONSOLE_COOKIE)
  return token !== undefined && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token) && token.length <= 8192 ? token : undefined
}

/** A sign-in in progress. */
export interface ConsoleTransaction {
  readonly state: string
  readonly nonce: string
  readonly verifier: string
  /** A console path (`/admin…`) to show once signed in. */
  readonly returnTo: string
}

/** A path inside the console, else the console's home (never another origin: `//x`, `/\x`). */
export const consoleReturnPath = (path: string | null | undefined): string =>
  path !== null && path !== undefined && /^\/admin(?:[/?]|$)/.test(path) && !/[\\\s]/.test(path) && path.length <= 1000 ? path : CONSOLE_PATH

/** A new transaction returning to `returnTo`. */
export const newTransaction = (returnTo: string): ConsoleTransaction =>
  ({ state: randomToken(), nonce: randomToken(), verifier: randomToken(), returnTo: consoleReturnPath(returnTo) })

/** The cookie value of `tx`. */
export const transactionCookieValue = (tx: ConsoleTransaction): string =>
  [tx.state, tx.nonce, tx.verifier, base64url(new TextEncoder().encode(tx.returnTo))].join(".")

/** The transaction this browser holds, or null (absent, malformed). */
export const readTransaction = (request: Request): ConsoleTransaction | null => {
  const parts = (readCookie(request, CONSOLE_TX_COOKIE) ?? "").split(".")
  if (parts.length !== 4 || !parts.slice(0, 3).every((p) => RANDOM_TOKEN_SHAPE.test(p))) return null
  let returnTo: string
  try {
    const padded = parts[3]!.replace(/-/g, "+").replace(/_/g, "/")
    returnTo = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)))
  } catch {
    return null
  }
  return { state: parts[0]!, nonce: parts[1]!, verifier: parts[2]!, returnTo: consoleReturnPath(returnTo) }
}

const sha256 = (text: string) =>
  Effect.tryPromise({ try: () => crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)), catch: () => "digest failed" as const })

/** The PKCE S256 challenge of `verifier` (RFC 7636 §4.2). */
export const pkceChallenge = Effect.fnUntraced(function*(verifier: string) {
  return base64url(new Uint8Array(yield* sha256(verifier).pipe(Effect.orDie)))
})

/** The CSRF token of the console session holding `accessToken`. */
export const consoleCsrf = Effect.fnUntraced(function*(accessToken: string) {
  return base64url(new Uint8Array(yield* sha256(`authrim-console-csrf:${accessToken}`).pipe(Effect.orDie)))
})

/** Constant-time equality of a submitted token and the expected one. */
export const sameCsrf = (submitted: string | null, expected: string): boolean => {
  if (submitted === null) return false
  const a = new TextEncoder().encode(submitted)
  const b = new TextEncoder().encode(expected)
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b)
}
