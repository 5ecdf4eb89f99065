/**
 * `GET|POST /account/email`: a signed-in user asks to change their email
 * address. The form is read-only without step-up; the POST needs a recent
 * authentication (`account/step_up.ts`), the double-submit CSRF cookie, and
 * passes the email rate limits (per IP and per target address, as the other
 * "email me a link" forms). Identity mails a single-use link to the NEW
 * address and answers the same for a taken address.
 *
 * `GET /account/email/verify?token=…`: opening the link makes the change
 * (identity `confirmEmailChange`: atomic, single use, the old address told).
 * Any browser may open it — the link itself is the proof of the new address.
 */
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { requireRecentAuthentication, staleSessionMinutes } from "../account/step_up.ts"
import { accountSession } from "../authorize/account_session.ts"
import { browserCsrfToken, csrfCookie } from "../authorize/csrf.ts"
import { currentSession } from "../authorize/current_session.ts"
import type { RouteContext } from "../route_context.ts"
import { withCookies } from "../http/cookies.ts"
import { emailRequestLimit } from "../http/email_rate_limits.ts"
import { readFormBody } from "../http/form_body.ts"
import { paramsFrom } from "../http/request_params.ts"
import { changeEmailPage, emailChangedPage, emailChangeFailedPage, emailChangeSentPage } from "../pages/account_email_page.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { verifyCookieCsrf } from "./password_recovery.ts"
import { accountLocaleOf, pageLocale, requestLocale, uiLocalesSearch } from "../i18n/negotiate_locale.ts"
import { t } from "../i18n/translate.ts"
import { emailChangeRefusalText } from "../i18n/backend_reason_texts.ts"

/** The page's own path (where a sign-in or step-up returns). */
export const ACCOUNT_EMAIL_PATH = "/account/email"

/** Lifetime of the link, as identity applies it (`EMAIL_CHANGE_TTL_SECONDS`), for the page text. */
const LINK_MINUTES = 30

/** `GET /account/email`. */
export const showAccountEmail = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const access = yield* accountSession(request, ACCOUNT_EMAIL_PATH)
  if (!access.signedIn) return access.redirect
  const user = yield* backends.identity.getUser({ userId: access.session.userId })
  const csrf = browserCsrfToken(request)
  const staleMinutes = yield* staleSessionMinutes(access.session)
  return withCookies(changeEmailPage(pageLocale(request, { accountLocale: accountLocaleOf(user) }), { csrf, currentEmail: user.email, newEmail: null, error: null, staleMinutes }), [csrfCookie(csrf)])
}, orErrorPage)

/** `POST /account/email`. */
export const submitAccountEmail = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const access = yield* accountSession(request, ACCOUNT_EMAIL_PATH)
  if (!access.signedIn) return access.redirect
  yield* verifyCookieCsrf(request, form)
  const stepUp = yield* requireRecentAuthentication(request, access.session, ACCOUNT_EMAIL_PATH)
  if (stepUp !== null) return stepUp
  const user = yield* backends.identity.getUser({ userId: access.session.userId })
  const newEmail = form.get("email")?.trim()
  const locale = pageLocale(request, { accountLocale: accountLocaleOf(user) })
  const again = (error: string, status: number) =>
    changeEmailPage(locale, { csrf: form.get("csrf") ?? "", currentEmail: user.email, newEmail: newEmail ?? null, error }, status)
  if (newEmail === undefined || !newEmail.includes("@")) return again(t(locale, "accountEmail.error.missing"), 400)
  const limited = yield* emailRequestLimit(request, newEmail)
  if (limited !== null) {
    const response = again(t(locale, "common.tooManyEmails", { seconds: limited.retryAfter }), 429)
    response.headers.set("retry-after", String(limited.retryAfter))
    return response
  }
  const origin = { sessionId: access.session.id, ipAddress: request.headers.get("cf-connecting-ip") }
  return yield* backends.accountSecurity.requestEmailChange({
    userId: user.id,
    newEmail,
    verifyUrl: `${ctx.issuer}${ACCOUNT_EMAIL_PATH}/verify${uiLocalesSearch(locale)}`,
    origin,
    locale
  }).pipe(
    Effect.as(emailChangeSentPage(locale, LINK_MINUTES)),
    Effect.catchTag("OAuthError", (refused) => Effect.succeed(again(emailChangeRefusalText(locale, refused.description), 400)))
  )
}, orErrorPage)

/** `GET /account/email/verify?token=…`. */
export const verifyAccountEmail = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const token = params.get("token")
  const locale = requestLocale(request, params)
  if (token === undefined) return emailChangeFailedPage(locale, "invalid")
  const session = yield* currentSession(request).pipe(Effect.orElseSucceed(() => null))
  const origin = { sessionId: session?.id ?? null, ipAddress: request.headers.get("cf-connecting-ip") }
  return yield* backends.accountSecurity.confirmEmailChange({ token, origin, locale }).pipe(
    Effect.map((changed) => emailChangedPage(locale, changed.email)),
    Effect.catchTags({
      NotFound: () => Effect.succeed(emailChangeFailedPage(locale, "invalid")),
      EmailAddressTaken: () => Effect.succeed(emailChangeFailedPage(locale, "taken"))
    })
  )
}, orErrorPage)
