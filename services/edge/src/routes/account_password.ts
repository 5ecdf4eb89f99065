/**
 * `GET|POST /account/password`: a signed-in user changes their password.
 * Without a session the browser is sent to sign in first (a login
 * transaction with `returnTo` = this page). The current password is required,
 * CSRF is the double submit of `__Host-authrim_csrf`, attempts are rate-limited per
 * IP and per account, a recent authentication is required (step-up,
 * `account/step_up.ts`), the user is notified, and on success every OTHER session of the user ends
 * (their RPs are told through back-channel logout).
 */
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { reportSecurityChange } from "../account/security_notice.ts"
import { requireRecentAuthentication, staleSessionMinutes } from "../account/step_up.ts"
import { accountSession } from "../authorize/account_session.ts"
import { browserCsrfToken, csrfCookie } from "../authorize/csrf.ts"
import type { RouteContext } from "../route_context.ts"
import { withCookies } from "../http/cookies.ts"
import { passwordChangeLimit } from "../http/email_rate_limits.ts"
import { readFormBody } from "../http/form_body.ts"
import { endUserSessions } from "../logout/end_user_sessions.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { changePasswordPage, passwordChangedPage } from "../pages/password_pages.ts"
import { verifyCookieCsrf } from "./password_recovery.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { t } from "../i18n/translate.ts"
import { passwordPolicyText } from "../i18n/backend_reason_texts.ts"

const PAGE = "/account/password"

/** `GET /account/password`. */
export const showAccountPassword = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const access = yield* accountSession(request, PAGE)
  if (!access.signedIn) return access.redirect
  const csrf = browserCsrfToken(request)
  const staleMinutes = yield* staleSessionMinutes(access.session)
  return withCookies(changePasswordPage(pageLocale(request), { csrf, error: null, staleMinutes }), [csrfCookie(csrf)])
}, orErrorPage)

/** `POST /account/password`. */
export const submitAccountPassword = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const access = yield* accountSession(request, PAGE)
  if (!access.signedIn) return access.redirect
  yield* verifyCookieCsrf(request, form)
  const stepUp = yield* requireRecentAuthentication(request, access.session, PAGE)
  if (stepUp !== null) return stepUp
  const locale = pageLocale(request)
  const again = (error: string, status: number) => changePasswordPage(locale, { csrf: form.get("csrf") ?? "", error }, status)
  const current = form.get("current")
  const password = form.get("password")
  if (current === undefined || password === undefined) return again(t(locale, "password.error.missing"), 400)
  if (password !== form.get("confirm")) return again(t(locale, "password.error.newMismatch"), 400)
  const userId = access.session.userId
  const limited = yield* passwordChangeLimit(ctx, request, userId)
  if (limited !== null) {
    const response = again(t(locale, "common.tooManyAttempts", { seconds: limited.retryAfter }), 429)
    response.headers.set("retry-after", String(limited.retryAfter))
    return response
  }
  const changed = yield* backends.emailLogin.changePassword({ userId, currentPassword: current, newPassword: password }).pipe(
    Effect.as(null),
    Effect.catchTag("InvalidCredentials", () => Effect.succeed(again(t(locale, "password.error.currentWrong"), 401))),
    Effect.catchTag("OAuthError", (policy) => Effect.succeed(again(passwordPolicyText(locale, policy.description), 400)))
  )
  if (changed !== null) return changed
  yield* endUserSessions(ctx, userId, access.session.id)
  yield* reportSecurityChange(request, { userId, sessionId: access.session.id }, "password_changed")
  return passwordChangedPage(locale, t(locale, "password.changed"))
}, orErrorPage)
