/**
 * Magic-link sign-in of a login transaction:
 * `GET /login/email?tx=…` shows the form, `POST /login/email` (CSRF of the
 * transaction, rate-limited per IP and per address) sets the browser-binding
 * cookie and asks identity to mail the link AFTER answering (`runAfterResponse`)
 * — the answer page, and how long it takes, are the same whether or not the
 * address has an account. `GET /login/email/verify?token=…`
 * redeems the link in the browser that asked and finishes through
 * `completeSignIn`.
 *
 * The verify step is a GET on purpose (a link click), and it is safe against
 * mail scanners that prefetch links: without the binding cookie identity
 * rejects the link WITHOUT using it up. `Referrer-Policy: no-referrer` on
 * every page keeps the token out of Referer headers.
 */
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { loadTransaction } from "../authorize/authorization_transaction.ts"
import { completeSignIn } from "../authorize/complete_sign_in.ts"
import { verifyCsrf } from "../authorize/csrf.ts"
import { bindingCookie, browserBinding, clearBindingCookie, magicLinkMethod, presentedBinding } from "../authorize/magic_link_method.ts"
import { runAfterResponse, type RouteContext } from "../route_context.ts"
import { withCookies } from "../http/cookies.ts"
import { emailRequestLimit } from "../http/email_rate_limits.ts"
import { readFormBody } from "../http/form_body.ts"
import { paramsFrom } from "../http/request_params.ts"
import { magicLinkRejectedPage, magicLinkRequestPage, magicLinkSentPage } from "../pages/email_link_pages.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { pageLocale, requestLocale, uiLocalesSearch } from "../i18n/negotiate_locale.ts"
import { t } from "../i18n/translate.ts"

/** `GET /login/email`. */
export const showEmailLinkRequest = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const tx = yield* loadTransaction("login", params.get("tx"))
  return magicLinkRequestPage(pageLocale(request, tx.request), { tx: tx.id, csrf: tx.csrf, email: tx.request?.loginHint ?? null, error: null })
}, orErrorPage)

/** `POST /login/email`. */
export const submitEmailLinkRequest = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const tx = yield* loadTransaction("login", form.get("tx"))
  yield* verifyCsrf(request, form, tx.csrf)
  const email = form.get("email")?.trim()
  const locale = pageLocale(request, tx.request)
  const again = (error: string, status: number) => magicLinkRequestPage(locale, { tx: tx.id, csrf: tx.csrf, email: email ?? null, error }, status)
  if (email === undefined || email === "" || !email.includes("@")) return again(t(locale, "emailLink.error.missing"), 400)
  const limited = yield* emailRequestLimit(request, email)
  if (limited !== null) {
    const response = again(t(locale, "common.tooManyEmails", { seconds: limited.retryAfter }), 429)
    response.headers.set("retry-after", String(limited.retryAfter))
    return response
  }
  const binding = browserBinding(request)
  // After the response (issue 9 §4): looking the address up and mailing cannot change the answer or its timing.
  // A deployment that cannot send mail says so now (503 naming the setting), not after a "check your email".
  yield* backends.emailLogin.checkEmailDelivery({})
  yield* runAfterResponse(ctx, "requestMagicLink",
    backends.emailLogin.requestMagicLink({ email, txId: tx.id, browserBinding: binding, verifyUrl: `${ctx.issuer}/login/email/verify${uiLocalesSearch(locale)}`, locale }))
  return withCookies(magicLinkSentPage(locale, tx.id), [bindingCookie(binding)])
}, orErrorPage)

/** `GET /login/email/verify?token=…`. */
export const verifyEmailLink = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const token = params.get("token")
  const locale = requestLocale(request, params)
  if (token === undefined) return magicLinkRejectedPage(locale, "expired")
  const redeemed = yield* backends.emailLogin.redeemMagicLink({ token, browserBinding: presentedBinding(request) }).pipe(
    Effect.map((link) => ({ ok: true as const, link })),
    Effect.catchTag("NotFound", () => Effect.succeed({ ok: false as const, page: magicLinkRejectedPage(locale, "expired") })),
    Effect.catchTag("MagicLinkWrongBrowser", () => Effect.succeed({ ok: false as const, page: magicLinkRejectedPage(locale, "wrong-browser") }))
  )
  if (!redeemed.ok) return redeemed.page
  const next = yield* completeSignIn(ctx, request, redeemed.link.txId, redeemed.link.userId, magicLinkMethod)
  return withCookies(next, [clearBindingCookie()])
}, orErrorPage)
