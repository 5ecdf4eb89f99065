/**
 * `GET|POST /end_session` (OIDC RP-Initiated Logout 1.0) and
 * `POST /end_session/confirm` (the confirmation form).
 *
 * - The request is validated first (`end_session_request.ts`); an invalid
 *   one is an error page, never a redirect.
 * - Direct logout, no question asked, when the verified `id_token_hint` is
 *   for the browser's current session (same `sub`, and same `sid` when the
 *   token has one): the RP proves it holds an ID token of this very session,
 *   which is what most OPs accept as the user's intent.
 * - With a session but no such hint: a CSRF-protected confirmation page, so
 *   a cross-site link cannot sign a user out.
 * - Without a session: nothing to end; straight to the result.
 * The result is a 303 to the registered `post_logout_redirect_uri` with
 * `state`, or the provider's "signed out" page. When RPs of the ended session
 * registered a `frontchannel_logout_uri` (Front-Channel Logout 1.0), the
 * result is instead a page that loads them in iframes and then continues to
 * that same target (`frontchannel_logout_page.ts`).
 */
import { OAuthError, type EdgeFailure, type Session } from "@authrim/contracts"
import { Effect } from "effect"
import { browserCsrfToken, csrfCookie, verifyCsrf } from "../authorize/csrf.ts"
import { currentSession } from "../authorize/current_session.ts"
import type { RouteContext } from "../route_context.ts"
import { withCookies } from "../http/cookies.ts"
import { readFormBody } from "../http/form_body.ts"
import { seeOther } from "../http/redirect.ts"
import { paramsFrom, type Params } from "../http/request_params.ts"
import { endBrowserSession } from "../logout/end_browser_session.ts"
import { validateEndSessionRequest, type EndSessionRequest } from "../logout/end_session_request.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { frontchannelLogoutPage } from "../pages/frontchannel_logout_page.ts"
import { logoutConfirmPage, signedOutPage } from "../pages/logout_page.ts"
import type { Locale } from "../i18n/locale.ts"
import { firstUiLocale, pageLocale } from "../i18n/negotiate_locale.ts"

/** The parameters carried through the confirmation form (the hint is verified again on submit). */
const CARRIED = ["id_token_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales"] as const

/** The registered `post_logout_redirect_uri` with `state` (§3: echoed only to a registered URI), or null. */
const returnTarget = (logout: EndSessionRequest): string | null => {
  if (logout.redirectUri === null) return null
  const target = new URL(logout.redirectUri)
  if (logout.state !== null) target.searchParams.set("state", logout.state)
  return target.toString()
}

/** Where the browser goes once the logout is decided; through the front-channel iframes first when there are any. */
const finish = (locale: Locale, logout: EndSessionRequest, signedOut: boolean, cookies: ReadonlyArray<string>, frames: ReadonlyArray<string> = []): Response => {
  const target = returnTarget(logout)
  const setCookies = cookies.map((c) => ["set-cookie", c] as [string, string])
  if (frames.length > 0) return frontchannelLogoutPage(locale, { frames, continueTo: target }, setCookies)
  if (target === null) return signedOutPage(locale, signedOut, setCookies)
  return withCookies(seeOther(target), cookies)
}

/** True when the verified hint names the browser's current session (a pairwise hint by its sealed real user, OIDC Core §8.1). */
const hintIsForSession = (logout: EndSessionRequest, session: Session): boolean =>
  logout.hint !== null && (logout.hint.userId ?? logout.hint.sub) === session.userId && (logout.hint.sid === null || logout.hint.sid === session.id)

const endAndFinish = (ctx: RouteContext, locale: Locale, logout: EndSessionRequest, session: Session) =>
  endBrowserSession(ctx, session).pipe(Effect.map((ended) => finish(locale, logout, true, [ended.clearCookie], ended.frontchannelFrames)))

/** RP-Initiated Logout 1.0 §2 `ui_locales` (carried through the confirmation form), then the browser's languages. */
const logoutLocale = (request: Request, params: Params): Locale => pageLocale(request, { uiLocale: firstUiLocale(params.get("ui_locales")) })

const readParams = (request: Request): Effect.Effect<Params, EdgeFailure> =>
  request.method === "POST" ? readFormBody(request) : paramsFrom(new URL(request.url).searchParams)

/** `GET|POST /end_session`. */
export const endSession = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const params = yield* readParams(request)
  const logout = yield* validateEndSessionRequest(ctx, params)
  const session = yield* currentSession(request)
  const locale = logoutLocale(request, params)
  if (session === null) return finish(locale, logout, true, [])
  if (hintIsForSession(logout, session)) return yield* endAndFinish(ctx, locale, logout, session)
  const csrf = browserCsrfToken(request)
  const carried = CARRIED.flatMap((name) => {
    const value = params.get(name)
    return value === undefined ? [] : [[name, value] as const]
  })
  return logoutConfirmPage(locale, { csrf, clientName: logout.client?.clientName ?? null, carried }, [["set-cookie", csrfCookie(csrf)]])
}, orErrorPage)

/** `POST /end_session/confirm`: `decision=logout|stay`, CSRF-checked; the carried request is validated again. */
export const confirmEndSession = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const form = yield* readFormBody(request)
  const csrf = form.get("csrf")
  if (csrf === undefined) return yield* new OAuthError({ code: "invalid_request", description: "the form has expired; start again" })
  yield* verifyCsrf(request, form, csrf)
  const decision = form.get("decision")
  if (decision !== "logout" && decision !== "stay") {
    return yield* new OAuthError({ code: "invalid_request", description: "decision must be logout or stay" })
  }
  const logout = yield* validateEndSessionRequest(ctx, form)
  const locale = logoutLocale(request, form)
  if (decision === "stay") return signedOutPage(locale, false)
  const session = yield* currentSession(request)
  return session === null ? finish(locale, logout, true, []) : yield* endAndFinish(ctx, locale, logout, session)
}, orErrorPage)
