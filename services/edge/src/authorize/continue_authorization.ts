/**
 * Drives a validated request to its next stop: the login page, the consent
 * page, or a code for the RP. Called by `/authorize` and again after each page
 * completes (`after` says which steps are already done, so `prompt=login` or
 * `max_age=0` cannot loop back to the login page). `prompt=none` never shows a
 * page: it ends in `login_required` / `consent_required` instead. The login
 * and consent pages are rendered in the same response (no extra round trip
 * through a redirect); they post to `/login` and `/consent`.
 */
import { OAuthError, type EdgeFailure, type Session } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import type { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { withCookies } from "../http/cookies.ts"
import { consentPage } from "../pages/consent_page.ts"
import { startTransaction, type AuthorizationTransaction, type ClientSummary } from "./authorization_transaction.ts"
import { requestNamesAnotherUser } from "./requested_user.ts"
import { consentRequired } from "./consent_requirement.ts"
import { csrfCookie } from "./csrf.ts"
import { createCode, issueCode } from "./issue_code.ts"
import { loginRequired } from "./login_requirement.ts"
import { presentLogin } from "./present_login.ts"
import type { PendingAuthorization } from "./pending_authorization.ts"
import type { Locale } from "../i18n/locale.ts"
import { clientLinksOf } from "../pages/client_links.ts"
import { adminSecondFactor, refuseAdminWithoutSecondFactor } from "./admin_second_factor.ts"

/**
 * Where the request stands. `consented`: the consent question is settled (the
 * user approved, or it was checked and not needed); `clientRecorded`: the
 * session already has this RP recorded for back-channel logout.
 */
export type AuthorizationProgress =
  | { readonly step: "start"; readonly session: Session | null }
  | { readonly step: "signed-in"; readonly session: Session }
  | { readonly step: "consented"; readonly session: Session; readonly clientRecorded?: boolean }

/** The fields of a client this flow uses (its page links only when it has any, to keep the transaction small). */
export const clientSummary = (client: ClientSummary): ClientSummary => ({
  clientId: client.clientId,
  clientName: client.clientName,
  skipConsent: client.skipConsent,
  ...(client.logoUri == null ? {} : { logoUri: client.logoUri }),
  ...(client.policyUri == null ? {} : { policyUri: client.policyUri }),
  ...(client.tosUri == null ? {} : { tosUri: client.tosUri })
})

/** The response that moves the request on. `csrf` is this browser's token for any page it leads to. */
export const continueAuthorization = Effect.fnUntraced(function*(
  ctx: RouteContext,
  client: ClientSummary,
  request: PendingAuthorization,
  progress: AuthorizationProgress,
  csrf: string,
  locale: Locale
): Effect.fn.Return<Response, EdgeFailure, Edge> {
  const interactive = !request.prompt.includes("none")
  const now = yield* Clock.currentTimeMillis
  const session = progress.session
  const namesAnotherUser = session === null ? false : yield* requestNamesAnotherUser(request, session.userId)
  if (progress.step === "start" && (session === null || loginRequired(request, session, now, namesAnotherUser))) {
    if (!interactive) return yield* new OAuthError({ code: "login_required", description: "the user must sign in" })
    const tx = yield* startTransaction("login", { request, csrf, userId: null, sessionId: null, client: clientSummary(client) })
    return yield* presentLogin(ctx, locale, tx, csrf, client.clientName, request.loginHint, clientLinksOf(client))
  }
  if (session === null) return yield* new OAuthError({ code: "login_required", description: "the user must sign in" })
  if (namesAnotherUser) {
    return yield* new OAuthError({ code: "login_required", description: "the signed-in user is not the one the request names (id_token_hint or sub)" })
  }
  // Setting mfaRequiredForAdmins (admin_second_factor.ts): an admin's `admin` scope only for a session with a second factor.
  const adminMfa = yield* adminSecondFactor(request.scopes, session)
  if (adminMfa === "reauthenticate" && progress.step === "start") {
    if (!interactive) return yield* new OAuthError({ code: "login_required", description: "administrator access needs a sign-in with a second factor" })
    const tx = yield* startTransaction("login", { request, csrf, userId: null, sessionId: null, client: clientSummary(client) })
    return yield* presentLogin(ctx, locale, tx, csrf, client.clientName, request.loginHint)
  }
  if (adminMfa !== "none") return yield* refuseAdminWithoutSecondFactor(ctx, request, locale, adminMfa === "enrol" ? "enrol" : "useStrong", interactive)
  if (progress.step !== "consented" && (yield* consentRequired(client, request, session.userId))) {
    if (!interactive) return yield* new OAuthError({ code: "consent_required", description: "the user must consent" })
    return yield* presentConsent(locale, client, request, session, csrf)
  }
  if (progress.step === "consented" && progress.clientRecorded === true) return yield* createCode(ctx, request, session, locale)
  return yield* issueCode(ctx, request, session, locale)
})

/**
 * The consent page for `session`, rendered now, with its transaction (and
 * this browser's CSRF cookie). `continues`: the login transaction it
 * follows, whose single use the consent's approval or denial then takes.
 */
export const presentConsent = Effect.fnUntraced(function*(
  locale: Locale,
  client: ClientSummary,
  request: PendingAuthorization,
  session: Session,
  csrf: string,
  continues?: AuthorizationTransaction
): Effect.fn.Return<Response, EdgeFailure, Edge> {
  const tx = yield* startTransaction("consent", {
    request,
    csrf,
    userId: session.userId,
    sessionId: session.id,
    client: clientSummary(client),
    ...(continues === undefined ? {} : { continues })
  })
  return withCookies(consentPage(locale, { tx, csrf, clientName: client.clientName, scopes: request.scopes, clientLinks: clientLinksOf(client) }), [csrfCookie(csrf)])
})
