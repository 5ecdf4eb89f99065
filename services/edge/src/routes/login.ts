/**
 * `GET /login?tx=…` shows the password form of a pending authorization;
 * `POST /login` checks CSRF and the password and hands over to
 * `completeSignIn` (consume the transaction, open the session, move on). A wrong password
 * re-shows the form and keeps the transaction. Until the transaction is
 * consumed errors are pages; after, they go to the RP's redirect_uri.
 */
import { misconfigured } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { loadTransaction, transactionClient, type AuthorizationTransaction } from "../authorize/authorization_transaction.ts"
import { completeSignIn } from "../authorize/complete_sign_in.ts"
import { verifyCsrf } from "../authorize/csrf.ts"
import { passwordMethod } from "../authorize/open_session.ts"
import type { RouteContext } from "../route_context.ts"
import { readFormBody } from "../http/form_body.ts"
import { withCookies } from "../http/cookies.ts"
import { deviceCookieFor, deviceCookieKey, rememberedDevice } from "../http/device_cookie.ts"
import { clearFailedPasswords, countFailedPassword, passwordAttemptGate, type PasswordAttempt } from "../http/failed_login_limit.ts"
import { accountKey, clientIp } from "../http/rate_limit_gate.ts"
import { LIMITER_DOWN_RETRY_AFTER, refusalHeaders } from "../http/rate_limit_responses.ts"
import { paramsFrom } from "../http/request_params.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { loginPage } from "../pages/login_page.ts"
import { clientLinksOf } from "../pages/client_links.ts"
import { loginOptions } from "../authorize/present_login.ts"
import { renderStepUp, stepUpEmail, stepUpPageFor } from "../account/step_up_view.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { t } from "../i18n/translate.ts"
import { signInRefusalText } from "../i18n/backend_reason_texts.ts"

/** Who the sign-in is for: the RP (its display name and page links), or null for the provider itself (account page). */
export const signInClient = (tx: AuthorizationTransaction) =>
  tx.request === null
    ? Effect.succeed(null)
    : transactionClient(tx, tx.request).pipe(Effect.map((client) => ({ name: client.clientName, links: clientLinksOf(client) })))

/** Who the sign-in is for: the RP's display name, or the provider itself (account page). */
export const signInAudience = (tx: AuthorizationTransaction) => Effect.map(signInClient(tx), (client) => client?.name ?? null)

/** `GET /login`. */
export const showLogin = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const tx = yield* loadTransaction("login", params.get("tx"))
  const locale = pageLocale(request, tx.request)
  if (tx.stepUp !== null) return yield* renderStepUp(locale, ctx, tx, yield* stepUpEmail(tx), null)
  const client = yield* signInClient(tx)
  const options = yield* loginOptions(ctx)
  return loginPage(locale, { tx: tx.id, csrf: tx.csrf, clientName: client?.name ?? null, email: tx.request?.loginHint ?? null, error: null, ...options, ...(client === null ? {} : { clientLinks: client.links }) })
}, orErrorPage)

/** `POST /login`. */
export const submitLogin = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const edge = yield* Edge
  const { backends } = edge
  const form = yield* readFormBody(request)
  const tx = yield* loadTransaction("login", form.get("tx"))
  yield* verifyCsrf(request, form, tx.csrf)
  const client = yield* signInClient(tx)
  const clientName = client?.name ?? null
  const locale = pageLocale(request, tx.request)
  const email = form.get("email")
  const password = form.get("password")
  // A step-up (account security change) re-renders its own page; a passkey account may not use its password here.
  const stepUp = tx.stepUp === null ? null : yield* stepUpEmail(tx)
  if (stepUp !== null && tx.stepUp !== "password") {
    const use = tx.stepUp === "passkey" ? t(locale, "login.error.usePasskey") : t(locale, "login.error.noPassword")
    return yield* renderStepUp(locale, ctx, tx, stepUp, use, 403)
  }
  const again = (error: string, status: number) =>
    stepUp !== null
      ? stepUpPageFor(locale, edge.stepUp, tx, stepUp, error, status)
      : loginPage(locale, { tx: tx.id, csrf: tx.csrf, clientName, email: email ?? tx.request?.loginHint ?? null, error, ...(client === null ? {} : { clientLinks: client.links }) }, status)
  const unavailable = () => again(t(locale, "login.error.unavailable"), 503)
  if (email === undefined || password === undefined) return again(t(locale, "login.error.missing"), 400)
  const deviceKey = yield* deviceCookieKey(edge.deviceCookieSecret)
  if (deviceKey === null) {
    // Logged once per isolate by the shared configuration check (contracts/src/deployment.ts).
    misconfigured("edge", "DEVICE_COOKIE_SECRET", "is unset or shorter than 32 characters")
    return again(t(locale, "login.error.misconfigured"), 503)
  }
  const now = yield* Clock.currentTimeMillis
  const attempt: PasswordAttempt = {
    ip: clientIp(request),
    account: yield* accountKey(email),
    device: yield* rememberedDevice(deviceKey, request, email, now)
  }
  const gate = yield* passwordAttemptGate(attempt)
  if (gate._tag === "Refused") {
    const response = gate.refusal._tag === "Limited"
      ? again(t(locale, "login.error.tooMany", { seconds: gate.refusal.decision.retryAfter }), 429)
      : unavailable()
    for (const [name, value] of Object.entries(refusalHeaders(gate.refusal))) response.headers.set(name, value)
    return response
  }
  if (gate._tag === "LimiterDown") {
    const response = unavailable()
    response.headers.set("retry-after", String(LIMITER_DOWN_RETRY_AFTER))
    return response
  }
  if (gate._tag === "Delayed") {
    // The account's progressive delay (failed_login_limit.ts): the password is not checked, nothing is counted.
    const response = again(t(locale, "login.error.tooMany", { seconds: gate.retryAfter }), 429)
    response.headers.set("retry-after", String(gate.retryAfter))
    return response
  }
  const user = yield* backends.identity.authenticatePassword({ email, password }).pipe(
    Effect.catchTag("InvalidCredentials", () => Effect.succeed(null)),
    // The settings turned password sign-in off, or require a second factor this account lacks: say so on the form.
    Effect.catchTag("OAuthError", (refused) => Effect.succeed(refused))
  )
  if (user !== null && "_tag" in user) return again(signInRefusalText(locale, user.description), 403)
  if (user === null) {
    yield* countFailedPassword(attempt)
    return again(t(locale, "login.error.incorrect"), 401)
  }
  if (stepUp !== null && user.id !== tx.userId) return again(t(locale, "login.error.wrongAccount"), 403)
  yield* clearFailedPasswords(attempt, gate)
  const next = yield* completeSignIn(ctx, request, tx.id, user.id, passwordMethod, user.totpEnabled)
  // The correct password earns this browser the account's device cookie (kept id when it already had one).
  return withCookies(next, [yield* deviceCookieFor(deviceKey, email, attempt.device, now)])
}, orErrorPage)

