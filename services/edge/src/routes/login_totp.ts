/**
 * `GET /login/totp?mfa=…` shows the second-factor form of a sign-in whose
 * first factor passed; `POST /login/totp` checks CSRF, counts the attempt,
 * and asks identity to verify and spend the code. A wrong code re-shows the
 * form (401) and keeps the step; a valid one consumes the step and finishes
 * the sign-in with amr + `otp` + `mfa` and the MFA acr. Language: the sign-in's
 * `ui_locales` (kept in the step), then `Accept-Language`, as on /login.
 */
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { withSecondFactor } from "../authorize/authentication_context.ts"
import { finishSignIn } from "../authorize/complete_sign_in.ts"
import { verifyCsrf } from "../authorize/csrf.ts"
import { loadSecondFactor } from "../authorize/second_factor_challenge.ts"
import type { RouteContext } from "../route_context.ts"
import { readFormBody } from "../http/form_body.ts"
import { paramsFrom } from "../http/request_params.ts"
import { secondFactorAttemptLimit } from "../http/second_factor_rate_limit.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { secondFactorPage } from "../pages/second_factor_page.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { t } from "../i18n/translate.ts"

/** `GET /login/totp`. */
export const showSecondFactor = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const step = yield* loadSecondFactor(params.get("mfa"), "peek")
  return secondFactorPage(pageLocale(request, { uiLocale: step.uiLocale }), { mfa: step.id, csrf: step.csrf, error: null })
}, orErrorPage)

/** `POST /login/totp`. */
export const submitSecondFactor = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const step = yield* loadSecondFactor(form.get("mfa"), "peek")
  yield* verifyCsrf(request, form, step.csrf)
  const locale = pageLocale(request, { uiLocale: step.uiLocale })
  const again = (error: string, status: number) => secondFactorPage(locale, { mfa: step.id, csrf: step.csrf, error }, status)
  const code = form.get("code")?.trim()
  if (code === undefined || code === "") return again(t(locale, "totp.error.missing"), 400)
  const limited = yield* secondFactorAttemptLimit(step.userId)
  if (limited !== null) {
    const response = again(t(locale, "common.tooManyAttempts", { seconds: limited.retryAfter }), 429)
    response.headers.set("retry-after", String(limited.retryAfter))
    return response
  }
  const verified = yield* backends.mfa.verifySecondFactor({ userId: step.userId, code }).pipe(
    Effect.as(true),
    Effect.catchTag("InvalidCredentials", () => Effect.succeed(false))
  )
  if (!verified) return again(t(locale, "secondFactor.error.invalid"), 401)
  const taken = yield* loadSecondFactor(step.id, "consume")
  return yield* finishSignIn(ctx, request, taken.txId, taken.userId, withSecondFactor(taken.firstFactor))
}, orErrorPage)
