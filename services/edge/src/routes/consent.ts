/**
 * `GET /consent?tx=…` shows what the RP asks for; `POST /consent` with
 * `decision=approve|deny` (CSRF-checked, by the session that signed in)
 * takes the transaction's single use: approve records the consent (same
 * identity call) and issues the code for the session, which is checked and
 * gets the RP recorded in one session call; deny sends `access_denied` to the RP.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { authorizationError } from "../authorize/authorization_response.ts"
import { claimTransaction, loadTransaction, transactionClient, type AuthorizationTransaction } from "../authorize/authorization_transaction.ts"
import { continueAuthorization } from "../authorize/continue_authorization.ts"
import { verifyCsrf } from "../authorize/csrf.ts"
import { currentSession } from "../authorize/current_session.ts"
import type { RouteContext } from "../route_context.ts"
import { readCookie, SESSION_COOKIE } from "../http/cookies.ts"
import { readFormBody } from "../http/form_body.ts"
import { paramsFrom } from "../http/request_params.ts"
import { consentPage } from "../pages/consent_page.ts"
import { clientLinksOf } from "../pages/client_links.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"

/** A consent transaction always carries the RP's request; one without is not a consent. */
const requestOf = (tx: AuthorizationTransaction) =>
  tx.request === null
    ? Effect.fail(new OAuthError({ code: "invalid_request", description: "this consent request is not valid" }))
    : Effect.succeed(tx.request)

/** `GET /consent` (a consent page reloaded by its URL; the sign-in itself renders the page directly). */
export const showConsent = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const tx = yield* loadTransaction("consent", params.get("tx"))
  const pending = yield* requestOf(tx)
  const client = yield* transactionClient(tx, pending)
  return consentPage(pageLocale(request, pending), { tx: tx.id, csrf: tx.csrf, clientName: client.clientName, scopes: pending.scopes, clientLinks: clientLinksOf(client) })
}, orErrorPage)

const sessionChanged = () => new OAuthError({ code: "login_required", description: "your session has changed; start the sign-in again" })

/**
 * The browser's session, which must be the one that signed in. An approval
 * also records the RP with it (back-channel logout) in the same session call.
 */
const signedInSession = Effect.fnUntraced(function*(request: Request, tx: AuthorizationTransaction, clientId: string | null) {
  const { backends } = yield* Edge
  const cookie = readCookie(request, SESSION_COOKIE)
  if (cookie === undefined || tx.sessionId === null) return yield* sessionChanged()
  if (clientId === null) {
    const session = yield* currentSession(request)
    return session === null || session.id !== tx.sessionId ? yield* sessionChanged() : session
  }
  return yield* backends.sessionLogout.authenticateForClient({ cookie, sessionId: tx.sessionId, clientId }).pipe(
    Effect.catchTag("NotFound", () => Effect.fail(sessionChanged()))
  )
})

/** `POST /consent`. */
export const submitConsent = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const form = yield* readFormBody(request)
  const tx = yield* loadTransaction("consent", form.get("tx"))
  yield* verifyCsrf(request, form, tx.csrf)
  const decision = form.get("decision")
  if (decision !== "approve" && decision !== "deny") {
    return yield* new OAuthError({ code: "invalid_request", description: "decision must be approve or deny" })
  }
  const pending = yield* requestOf(tx)
  const target = pending.target
  const session = yield* signedInSession(request, tx, decision === "approve" ? target.clientId : null)
  // Single use: of racing answers exactly one gets past here; an approval records the consent in the same call.
  yield* claimTransaction(ctx, tx, decision === "approve" ? { userId: session.userId, clientId: target.clientId, scopes: pending.scopes } : undefined)
  return yield* Effect.gen(function*() {
    if (decision === "deny") {
      return yield* new OAuthError({ code: "access_denied", description: "the user denied the request" })
    }
    const client = yield* transactionClient(tx, pending)
    return yield* continueAuthorization(ctx, client, pending, { step: "consented", session, clientRecorded: true }, tx.csrf, pageLocale(request, pending))
  }).pipe(Effect.catch((failure) => authorizationError(target, ctx.issuer, failure, pageLocale(request, pending))))
}, orErrorPage)
