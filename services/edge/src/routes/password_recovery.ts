/**
 * Forgotten password: `GET|POST /password/forgot` asks identity to mail a
 * reset link (same answer for every address; rate-limited per IP and per
 * address), `GET|POST /password/reset?token=…` sets the new password with
 * it and then ends every session of the user ("sign out everywhere": whoever
 * knew the old password is signed out too, and every RP of those sessions
 * gets a back-channel logout).
 *
 * These forms have no login transaction, so CSRF is the plain double submit:
 * the GET sets this browser's `__Host-authrim_csrf` cookie and the form echoes it.
 */
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { reportSecurityChange } from "../account/security_notice.ts"
import { browserCsrfToken, csrfCookie, verifyCsrf } from "../authorize/csrf.ts"
import { runAfterResponse, type RouteContext } from "../route_context.ts"
import { CSRF_COOKIE, readCookie, withCookies } from "../http/cookies.ts"
import { emailRequestLimit } from "../http/email_rate_limits.ts"
import { readFormBody } from "../http/form_body.ts"
import { paramsFrom, type Params } from "../http/request_params.ts"
import { endUserSessions } from "../logout/end_user_sessions.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { forgotPasswordPage, passwordChangedPage, resetLinkInvalidPage, resetLinkSentPage, resetPasswordPage } from "../pages/password_pages.ts"
import { requestLocale, uiLocalesSearch } from "../i18n/negotiate_locale.ts"
import { t } from "../i18n/translate.ts"
import { passwordPolicyText } from "../i18n/backend_reason_texts.ts"

/** Double-submit check against the browser's own CSRF cookie. */
export const verifyCookieCsrf = (request: Request, form: Params) => verifyCsrf(request, form, readCookie(request, CSRF_COOKIE) ?? "")

/** `GET /password/forgot[?tx=…]`. */
export const showForgotPassword = Effect.fnUntraced(function*(request: Request, _ctx: RouteContext) {
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const csrf = browserCsrfToken(request)
  return withCookies(forgotPasswordPage(requestLocale(request, params), { csrf, tx: params.get("tx") ?? null, email: null, error: null }), [csrfCookie(csrf)])
}, orErrorPage)

/** `POST /password/forgot`. */
export const submitForgotPassword = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  yield* verifyCookieCsrf(request, form)
  const csrf = form.get("csrf") ?? ""
  const tx = form.get("tx") ?? null
  const email = form.get("email")?.trim()
  const locale = requestLocale(request, form)
  if (email === undefined || !email.includes("@")) {
    return forgotPasswordPage(locale, { csrf, tx, email: email ?? null, error: t(locale, "password.error.emailMissing") }, 400)
  }
  const limited = yield* emailRequestLimit(request, email)
  if (limited !== null) {
    const response = forgotPasswordPage(locale, { csrf, tx, email, error: t(locale, "common.tooManyEmails", { seconds: limited.retryAfter }) }, 429)
    response.headers.set("retry-after", String(limited.retryAfter))
    return response
  }
  // After the response (issue 9 §4): the answer and its timing are the same for known and unknown addresses.
  // A deployment that cannot send mail says so now (503 naming the setting), not after a "check your email".
  yield* backends.emailLogin.checkEmailDelivery({})
  yield* runAfterResponse(ctx, "requestPasswordReset", backends.emailLogin.requestPasswordReset({ email, resetUrl: `${ctx.issuer}/password/reset${uiLocalesSearch(locale)}`, locale }))
  return resetLinkSentPage(locale, tx)
}, orErrorPage)

/** `GET /password/reset?token=…`: the form (the token is checked on submit). */
export const showResetPassword = Effect.fnUntraced(function*(request: Request, _ctx: RouteContext) {
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const token = params.get("token")
  const locale = requestLocale(request, params)
  if (token === undefined) return resetLinkInvalidPage(locale)
  const csrf = browserCsrfToken(request)
  return withCookies(resetPasswordPage(locale, { token, csrf, error: null }), [csrfCookie(csrf)])
}, orErrorPage)

/** `POST /password/reset`. */
export const submitResetPassword = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  yield* verifyCookieCsrf(request, form)
  const token = form.get("token")
  const locale = requestLocale(request, form)
  if (token === undefined) return resetLinkInvalidPage(locale)
  const again = (error: string) => resetPasswordPage(locale, { token, csrf: form.get("csrf") ?? "", error }, 400)
  const password = form.get("password")
  if (password === undefined || password !== form.get("confirm")) return again(t(locale, "password.error.mismatch"))
  // The checkbox (default off): also remove every passkey and TOTP, in the same transaction as the reset.
  const removeSecondFactors = form.get("remove_second_factors") === "on"
  const outcome = yield* backends.emailLogin.resetPassword({ token, newPassword: password, removeSecondFactors }).pipe(
    Effect.map((done) => ({ ok: true as const, userId: done.userId })),
    Effect.catchTag("NotFound", () => Effect.succeed({ ok: false as const, page: resetLinkInvalidPage(locale) })),
    Effect.catchTag("OAuthError", (policy) => Effect.succeed({ ok: false as const, page: again(passwordPolicyText(locale, policy.description)) }))
  )
  if (!outcome.ok) return outcome.page
  yield* endUserSessions(ctx, outcome.userId)
  yield* reportSecurityChange(request, { userId: outcome.userId, sessionId: null }, "password_reset")
  return passwordChangedPage(locale, t(locale, "password.resetDone"))
}, orErrorPage)
