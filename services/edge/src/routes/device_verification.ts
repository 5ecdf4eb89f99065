/**
 * The device verification page (RFC 8628 §3.3). `GET /device` asks for the
 * user code (`?user_code=` prefills it: `verification_uri_complete`; case,
 * dash and spaces do not matter). It needs a signed-in browser — without one
 * it starts a login transaction that returns here, code included. With a
 * live code it shows the client and scopes and an approve/deny form, single
 * use (device_transaction.ts) and CSRF-checked (double submit bound to the
 * transaction). `POST /device` records the decision by the session that saw
 * the form; of concurrent decisions on one code exactly one counts.
 */
import { OAuthError, type EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { accountSession } from "../authorize/account_session.ts"
import { browserCsrfToken, csrfCookie, verifyCsrf } from "../authorize/csrf.ts"
import { currentSession } from "../authorize/current_session.ts"
import { loadDeviceTransaction, startDeviceTransaction } from "../device/device_transaction.ts"
import type { RouteContext } from "../route_context.ts"
import { withCookies } from "../http/cookies.ts"
import { readFormBody } from "../http/form_body.ts"
import { countWrongDeviceCode, deviceCodeEntrant, deviceCodeEntryLimit } from "../http/surface_rate_limits.ts"
import { paramsFrom } from "../http/request_params.ts"
import { deviceCodeEntryPage, deviceConfirmPage, deviceDonePage } from "../pages/device_pages.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { DEVICE_VERIFICATION_PATH } from "./device_authorization.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import { adminSecondFactor } from "../authorize/admin_second_factor.ts"
import { adminSecondFactorPage } from "../pages/admin_second_factor_page.ts"
import { t } from "../i18n/translate.ts"


/** `GET /device`. */
export const showDeviceVerification = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const typed = params.get("user_code")?.trim()
  const returnTo = typed === undefined || typed === "" ? DEVICE_VERIFICATION_PATH : `${DEVICE_VERIFICATION_PATH}?user_code=${encodeURIComponent(typed)}`
  const access = yield* accountSession(request, returnTo)
  if (!access.signedIn) return access.redirect
  const locale = pageLocale(request)
  if (typed === undefined || typed === "") return deviceCodeEntryPage(locale)
  // RFC 8628 §5.1: wrong codes are counted per IP and per browser; past either limit no code is looked up.
  const entrant = yield* deviceCodeEntrant(request, access.session.id)
  const limited = yield* deviceCodeEntryLimit(entrant, locale)
  if (limited !== null) return limited
  const described = yield* backends.device.describeDeviceCode({ userCode: typed }).pipe(
    Effect.catchTag("NotFound", () => Effect.succeed(null))
  )
  if (described === null) {
    yield* countWrongDeviceCode(entrant)
    return deviceCodeEntryPage(locale, t(locale, "device.error.unknownCode"), 400)
  }
  if (described.status !== "pending") return deviceCodeEntryPage(locale, t(locale, "device.error.used"), 400)
  // Setting mfaRequiredForAdmins: approving a device code for scope `admin` needs the same second factor as /authorize
  // (no confirm page, so no transaction for the POST: the refusal here is the server-side check).
  const adminMfa = yield* adminSecondFactor(described.scope.split(" "), access.session)
  if (adminMfa !== "none") return adminSecondFactorPage(locale, adminMfa === "enrol" ? "enrol" : "useStrong", null)
  const client = yield* backends.identity.getClient({ clientId: described.clientId })
  const csrf = browserCsrfToken(request)
  const session = access.session
  const tx = yield* startDeviceTransaction({ userCode: described.userCode, csrf, sessionId: session.id, userId: session.userId })
  const page = deviceConfirmPage(locale, { tx, csrf, clientName: client.clientName, userCode: described.userCode, scopes: described.scope.split(" ") })
  return withCookies(page, [csrfCookie(csrf)])
}, orErrorPage)

/** `POST /device`. */
export const submitDeviceVerification = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const form = yield* readFormBody(request)
  const tx = yield* loadDeviceTransaction(form.get("tx"), "peek")
  yield* verifyCsrf(request, form, tx.csrf)
  const decision = form.get("decision")
  if (decision !== "approve" && decision !== "deny") {
    return yield* new OAuthError({ code: "invalid_request", description: "decision must be approve or deny" })
  }
  const session = yield* currentSession(request)
  if (session === null || session.id !== tx.sessionId) {
    return yield* new OAuthError({ code: "login_required", description: "your session has changed; enter the code again" })
  }
  yield* loadDeviceTransaction(tx.id, "consume")
  const outcome = yield* backends.device.decideDeviceCode({
    userCode: tx.userCode, decision, userId: session.userId, authTime: session.authTime, acr: session.acr, amr: session.amr, sid: session.id,
    sessionExpiresAt: session.expiresAt
  }).pipe(Effect.catchTag("NotFound", (): Effect.Effect<never, EdgeFailure> =>
    Effect.fail(new OAuthError({ code: "invalid_request", description: t(pageLocale(request), "device.error.unknownCode") }))))
  return deviceDonePage(pageLocale(request), outcome.status === "approved")
}, orErrorPage)
