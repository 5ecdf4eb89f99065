/**
 * Signing in to the console: an ordinary Authrim OIDC sign-in of the public client
 * `authrim-admin` (authorization code + PKCE S256 + state + nonce), the console being
 * its own backend-for-frontend (draft-ietf-oauth-browser-based-apps §6.1).
 *
 * - {@link startConsoleSignIn}: a 303 to `/authorize`, the transaction in its cookie.
 * - {@link consoleCallback} (`/admin/callback`): state checked against the cookie, the
 *   code redeemed at the edge's OWN token endpoint in-process — the request is built
 *   exactly as a public client would send it and handed to routes/token.ts, so rate
 *   limit, client checks, PKCE and code single use are the public flow's — then the ID
 *   token's `nonce`, `iss` and `aud` checked (received straight from the token endpoint,
 *   OIDC Core §3.1.3.7 lets TLS-equivalent transport stand for its signature), and the
 *   access token kept in the console cookie. The answer is a small page that moves on
 *   to the console by a same-site navigation, so the SameSite=Strict cookie is sent
 *   even when the sign-in began on another site.
 * - {@link consoleSignOut}: clears the cookie and offers RP-initiated logout.
 */
import { Effect } from "effect"
import type { Edge } from "../edge_layer.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { DEFAULT_LOCALE, type Locale } from "../i18n/locale.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import type { RouteContext } from "../route_context.ts"
import { token as tokenEndpoint } from "../routes/token.ts"
import { escapeHtml } from "../pages/html.ts"
import { consolePage, type ConsoleFrame } from "./console_layout.ts"
import {
  CONSOLE_CLIENT_ID, CONSOLE_COOKIE, CONSOLE_SCOPE, CONSOLE_TX_COOKIE, CONSOLE_TX_SECONDS, consoleCookie, consoleCsrf, consoleRedirectUri,
  consoleToken, newTransaction, pkceChallenge, readTransaction, sameCsrf, transactionCookieValue
} from "./console_session.ts"

/** A 303 to /authorize for a new console sign-in returning to `returnTo`; `clearSession` drops a dead session cookie too. */
export const startConsoleSignIn = Effect.fnUntraced(function*(ctx: RouteContext, returnTo: string, clearSession: boolean, locale: Locale = DEFAULT_LOCALE) {
  const tx = newTransaction(returnTo)
  const authorize = new URL(`${ctx.issuer}/authorize`)
  for (const [name, value] of Object.entries({
    response_type: "code", client_id: CONSOLE_CLIENT_ID, redirect_uri: consoleRedirectUri(ctx.issuer), scope: CONSOLE_SCOPE,
    state: tx.state, nonce: tx.nonce, code_challenge: yield* pkceChallenge(tx.verifier), code_challenge_method: "S256"
  })) authorize.searchParams.set(name, value)
  // The sign-in pages in the console's language (OIDC Core `ui_locales`).
  if (locale !== DEFAULT_LOCALE) authorize.searchParams.set("ui_locales", locale)
  const headers = new Headers({ location: authorize.toString(), "cache-control": "no-store", "referrer-policy": "no-referrer" })
  headers.append("set-cookie", consoleCookie(CONSOLE_TX_COOKIE, transactionCookieValue(tx), CONSOLE_TX_SECONDS))
  if (clearSession) headers.append("set-cookie", consoleCookie(CONSOLE_COOKIE, "", 0))
  return new Response(null, { status: 303, headers })
})

/** A page of the sign-in's own (no navigation bar): a refusal with a way to start again. */
const signInProblemPage = (request: Request, status: number, detail: string): Response => {
  const frame: ConsoleFrame = { locale: pageLocale(request), csrf: null }
  return consolePage(frame, t(frame.locale, "console.signIn.failedTitle"),
    `<h1>${tHtml(frame.locale, "console.signIn.failedTitle")}</h1><p class="error" role="alert">${escapeHtml(detail)}</p>` +
      `<p><a href="/admin">${tHtml(frame.locale, "console.signIn.again")}</a></p>`,
    { status, headers: { "set-cookie": consoleCookie(CONSOLE_TX_COOKIE, "", 0) } })
}

/** The claims of a compact JWT's payload, or null. */
const jwtPayload = (jwt: string): Record<string, unknown> | null => {
  try {
    const part = jwt.split(".")[1] ?? ""
    const json = new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)))
    const value: unknown = JSON.parse(json)
    return typeof value === "object" && value !== null ? value as Record<string, unknown> : null
  } catch {
    return null
  }
}

interface TokenAnswer {
  readonly access_token?: unknown
  readonly id_token?: unknown
  readonly expires_in?: unknown
  readonly error_description?: unknown
}

/** `GET /admin/callback`. */
export const consoleCallback = Effect.fnUntraced(function*(request: Request, ctx: RouteContext): Effect.fn.Return<Response, never, Edge> {
  const locale = pageLocale(request)
  const query = new URL(request.url).searchParams
  const tx = readTransaction(request)
  const state = query.get("state")
  if (tx === null || state === null || state !== tx.state) return signInProblemPage(request, 400, t(locale, "console.signIn.badState"))
  const error = query.get("error")
  if (error !== null) return signInProblemPage(request, 403, `${error}: ${query.get("error_description") ?? ""}`)
  const code = query.get("code")
  if (code === null || code === "" || code.length > 2000) return signInProblemPage(request, 400, t(locale, "console.signIn.noCode"))

  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded" })
  const ip = request.headers.get("cf-connecting-ip")
  if (ip !== null) headers.set("cf-connecting-ip", ip)
  const exchange = new Request(`${ctx.issuer}/token`, {
    method: "POST", headers,
    body: new URLSearchParams({
      grant_type: "authorization_code", code, redirect_uri: consoleRedirectUri(ctx.issuer), client_id: CONSOLE_CLIENT_ID, code_verifier: tx.verifier
    }).toString()
  })
  const response = yield* tokenEndpoint(exchange, ctx)
  const answer = yield* Effect.tryPromise({ try: () => response.json<TokenAnswer>(), catch: () => null }).pipe(Effect.orElseSucceed(() => null))
  if (!response.ok || answer === null || typeof answer.access_token !== "string" || typeof answer.id_token !== "string") {
    const why = answer !== null && typeof answer.error_description === "string" ? answer.error_description : `token endpoint ${response.status}`
    return signInProblemPage(request, 400, `${t(locale, "console.signIn.exchangeFailed")} (${why})`)
  }
  const idToken = jwtPayload(answer.id_token)
  const audience = idToken?.["aud"]
  const audienceOk = audience === CONSOLE_CLIENT_ID || (Array.isArray(audience) && audience.includes(CONSOLE_CLIENT_ID))
  if (idToken === null || idToken["nonce"] !== tx.nonce || idToken["iss"] !== ctx.issuer || !audienceOk) {
    return signInProblemPage(request, 400, t(locale, "console.signIn.badIdToken"))
  }
  const lifetime = typeof answer.expires_in === "number" ? answer.expires_in : 300
  const frame: ConsoleFrame = { locale, csrf: null }
  const target = escapeHtml(tx.returnTo)
  const page = consolePage(frame, t(locale, "console.signIn.done"),
    `<h1>${tHtml(locale, "console.signIn.done")}</h1><p><a href="${target}">${tHtml(locale, "console.signIn.continue")}</a></p>`,
    { headers: { refresh: `0;url=${tx.returnTo}` } })
  page.headers.append("set-cookie", consoleCookie(CONSOLE_COOKIE, answer.access_token, lifetime))
  page.headers.append("set-cookie", consoleCookie(CONSOLE_TX_COOKIE, "", 0))
  return page
})

/** `POST /admin/sign-out`: the form's CSRF token must match the session's; the cookie is cleared either way it ends. */
export const consoleSignOut = Effect.fnUntraced(function*(request: Request, ctx: RouteContext, form: URLSearchParams): Effect.fn.Return<Response, never, Edge> {
  const frame: ConsoleFrame = { locale: pageLocale(request), csrf: null }
  const accessToken = consoleToken(request)
  if (accessToken !== undefined && !sameCsrf(form.get("csrf"), yield* consoleCsrf(accessToken))) {
    return consolePage(frame, t(frame.locale, "console.csrf.title"), `<h1>${tHtml(frame.locale, "console.csrf.title")}</h1><p class="error" role="alert">${tHtml(frame.locale, "console.csrf.body")}</p>`, { status: 403 })
  }
  const logout = `${ctx.issuer}/end_session`
  return consolePage(frame, t(frame.locale, "console.signedOut.title"),
    `<h1>${tHtml(frame.locale, "console.signedOut.title")}</h1><p>${tHtml(frame.locale, "console.signedOut.body")}</p>` +
      `<form method="get" action="${escapeHtml(logout)}"><input type="hidden" name="client_id" value="${CONSOLE_CLIENT_ID}">` +
      `<button type="submit">${tHtml(frame.locale, "console.signedOut.everywhere")}</button></form>` +
      `<p><a href="/admin">${tHtml(frame.locale, "console.signIn.again")}</a></p>`,
    { headers: { "set-cookie": consoleCookie(CONSOLE_COOKIE, "", 0) } })
})
