/**
 * `GET /consent?tx=…` shows what the RP asks for; `POST /consent` with
 * `decision=approve|deny` (CSRF-checked, by the session that signed in)
 * consumes the transaction: approve records the consent and issues the code,
 * deny sends `access_denied` to the RP.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { authorizationError } from "../authorize/authorization_response.ts"
import { loadTransaction, type AuthorizationTransaction } from "../authorize/authorization_transaction.ts"
import { continueAuthorization } from "../authorize/continue_authorization.ts"
import { verifyCsrf } from "../authorize/csrf.ts"
import { currentSession } from "../authorize/current_session.ts"
import type { EdgeContext } from "../edge_context.ts"
import { readFormBody } from "../http/form_body.ts"
import { paramsFrom } from "../http/request_params.ts"
import { consentPage } from "../pages/consent_page.ts"
import { errorPage } from "../pages/error_page.ts"

/** A consent transaction always carries the RP's request; one without is not a consent. */
const requestOf = (tx: AuthorizationTransaction) =>
  tx.request === null
    ? Effect.fail(new OAuthError({ code: "invalid_request", description: "this consent request is not valid" }))
    : Effect.succeed(tx.request)

/** `GET /consent`. */
export const showConsent = (request: Request, ctx: EdgeContext): Effect.Effect<Response> =>
  Effect.gen(function*() {
    const params = yield* paramsFrom(new URL(request.url).searchParams)
    const tx = yield* loadTransaction(ctx.backends, "consent", params.get("tx"), "peek")
    const pending = yield* requestOf(tx)
    const client = yield* ctx.backends.identity.getClient({ clientId: pending.target.clientId })
    return consentPage({ tx: tx.id, csrf: tx.csrf, clientName: client.clientName, scopes: pending.scopes })
  }).pipe(Effect.catch((failure) => Effect.succeed(errorPage(failure))))

/** `POST /consent`. */
export const submitConsent = (request: Request, ctx: EdgeContext): Effect.Effect<Response> =>
  Effect.gen(function*() {
    const form = yield* readFormBody(request)
    const tx = yield* loadTransaction(ctx.backends, "consent", form.get("tx"), "peek")
    yield* verifyCsrf(request, form, tx.csrf)
    const decision = form.get("decision")
    if (decision !== "approve" && decision !== "deny") {
      return yield* new OAuthError({ code: "invalid_request", description: "decision must be approve or deny" })
    }
    const session = yield* currentSession(ctx.backends, request)
    if (session === null || session.id !== tx.sessionId) {
      return yield* new OAuthError({ code: "login_required", description: "your session has changed; start the sign-in again" })
    }
    const consumed = yield* loadTransaction(ctx.backends, "consent", tx.id, "consume")
    const pending = yield* requestOf(consumed)
    const target = pending.target
    return yield* Effect.gen(function*() {
      if (decision === "deny") {
        return yield* new OAuthError({ code: "access_denied", description: "the user denied the request" })
      }
      const client = yield* ctx.backends.identity.getClient({ clientId: target.clientId })
      yield* ctx.backends.identity.grantConsent({ userId: session.userId, clientId: client.clientId, scopes: pending.scopes })
      return yield* continueAuthorization(ctx, client, pending, { step: "consented", session }, tx.csrf)
    }).pipe(Effect.catch((failure) => Effect.succeed(authorizationError(target, ctx.issuer, failure))))
  }).pipe(Effect.catch((failure) => Effect.succeed(errorPage(failure))))
