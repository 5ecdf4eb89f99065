/**
 * `GET /account/totp` shows the signed-in user's two-step verification;
 * `POST /account/totp` (`action` = `begin`, `confirm`, `disable`,
 * `regenerate` recovery codes) changes it — each only after a recent
 * authentication (step-up, `account/step_up.ts`), each change notified.
 * CSRF: double submit — the form's `csrf` must equal this browser's
 * `__Host-authrim_csrf` cookie. Without a session the browser signs in first and
 * comes back here. Confirm and disable take a code, so they are counted like
 * second-factor sign-in attempts.
 */
import type { EdgeFailure, Session } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { reportSecurityChange } from "../account/security_notice.ts"
import { requireRecentAuthentication } from "../account/step_up.ts"
import { accountSession } from "../authorize/account_session.ts"
import { browserCsrfToken, csrfCookie, verifyCsrf } from "../authorize/csrf.ts"
import type { RouteContext } from "../route_context.ts"
import { CSRF_COOKIE, readCookie, withCookies } from "../http/cookies.ts"
import { readFormBody } from "../http/form_body.ts"
import { secondFactorAttemptLimit } from "../http/second_factor_rate_limit.ts"
import { accountTotpPage, type AccountTotpView } from "../pages/account_totp_page.ts"
import { orErrorPage } from "../pages/error_page.ts"
import type { Locale } from "../i18n/locale.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { t } from "../i18n/translate.ts"

/** The page's own path (where a sign-in for it returns). */
export const ACCOUNT_TOTP_PATH = "/account/totp"

const pageIn = (locale: Locale) => (view: AccountTotpView, csrf: string, error: string | null = null, status = 200) =>
  withCookies(accountTotpPage(locale, view, csrf, error, status), [csrfCookie(csrf)])

const statusView = (session: Session): Effect.Effect<AccountTotpView, EdgeFailure, Edge> =>
  Edge.use(({ backends }) => backends.mfa.getMfaStatus({ userId: session.userId }).pipe(Effect.map((status) => ({ kind: "status" as const, status }))))

/** `GET /account/totp`. */
export const showAccountTotp = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const access = yield* accountSession(request, ACCOUNT_TOTP_PATH)
  if (!access.signedIn) return access.redirect
  return pageIn(pageLocale(request))(yield* statusView(access.session), browserCsrfToken(request))
}, orErrorPage)

/** Runs a code-taking action after the rate-limit gate; a wrong code re-shows `retry` with 401. */
const withCode = Effect.fnUntraced(function*(
  locale: Locale,
  userId: string,
  code: string | undefined,
  retry: (error: string, status: number) => Response,
  action: (code: string) => Effect.Effect<Response, EdgeFailure, Edge>
): Effect.fn.Return<Response, EdgeFailure, Edge> {
  const typed = code?.trim()
  if (typed === undefined || typed === "") return retry(t(locale, "totp.error.missing"), 400)
  const limited = yield* secondFactorAttemptLimit(userId)
  if (limited !== null) {
    const response = retry(t(locale, "common.tooManyAttempts", { seconds: limited.retryAfter }), 429)
    response.headers.set("retry-after", String(limited.retryAfter))
    return response
  }
  return yield* action(typed).pipe(
    Effect.catchTag("InvalidCredentials", () => Effect.succeed(retry(t(locale, "totp.error.invalid"), 401)))
  )
})

/** `POST /account/totp`. */
export const submitAccountTotp = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const csrf = readCookie(request, CSRF_COOKIE) ?? ""
  yield* verifyCsrf(request, form, csrf)
  const access = yield* accountSession(request, ACCOUNT_TOTP_PATH)
  if (!access.signedIn) return access.redirect
  const userId = access.session.userId
  const code = form.get("code")
  const locale = pageLocale(request)
  const page = pageIn(locale)
  // Every action here changes the second factor: step-up first (account/step_up.ts).
  const stepUp = yield* requireRecentAuthentication(request, access.session, ACCOUNT_TOTP_PATH)
  if (stepUp !== null) return stepUp
  const by = { userId, sessionId: access.session.id }
  switch (form.get("action")) {
    case "begin": {
      const enrolment = yield* backends.mfa.beginTotpEnrolment({ userId, issuer: new URL(ctx.issuer).host }).pipe(
        Effect.catchTag("OAuthError", () => Effect.succeed(null))
      )
      if (enrolment === null) return page(yield* statusView(access.session), csrf, t(locale, "totp.error.alreadyOn"), 400)
      return page({ kind: "enrol", enrolment }, csrf)
    }
    case "confirm":
      return yield* withCode(locale, userId, code, (error, status) => page({ kind: "enrol", enrolment: null }, csrf, error, status), (typed) =>
        backends.mfa.confirmTotpEnrolment({ userId, code: typed }).pipe(
          Effect.tap(() => reportSecurityChange(request, by, "totp_enabled")),
          Effect.map(({ recoveryCodes }) => page({ kind: "recovery-codes", codes: recoveryCodes }, csrf)),
          Effect.catchTag("NotFound", () =>
            statusView(access.session).pipe(Effect.map((view) => page(view, csrf, t(locale, "totp.error.noSetUp"), 400))))
        ))
    case "disable": {
      const view = yield* statusView(access.session)
      return yield* withCode(locale, userId, code, (error, status) => page(view, csrf, error, status), (typed) =>
        backends.mfa.disableTotp({ userId, code: typed }).pipe(
          Effect.tap(() => reportSecurityChange(request, by, "totp_disabled")),
          Effect.as(page({ kind: "disabled" }, csrf))
        ))
    }
    case "regenerate": {
      const regenerated = yield* backends.mfa.regenerateRecoveryCodes({ userId }).pipe(
        Effect.catchTag("NotFound", () => Effect.succeed(null))
      )
      if (regenerated === null) return page(yield* statusView(access.session), csrf, t(locale, "totp.error.isOff"), 400)
      yield* reportSecurityChange(request, by, "recovery_codes_regenerated")
      return page({ kind: "recovery-codes", codes: regenerated.recoveryCodes }, csrf)
    }
    default:
      return page(yield* statusView(access.session), csrf, t(locale, "common.unknownAction"), 400)
  }
}, orErrorPage)
