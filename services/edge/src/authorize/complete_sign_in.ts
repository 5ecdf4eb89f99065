/**
 * The one place a sign-in finishes, whatever the method (password, passkey,
 * magic link, upstream identity provider): consume the login transaction
 * (single use — of two racing completions exactly one gets past here), open
 * the session with the method's amr/acr, and move on: back into the RP's
 * authorization request, or to the provider page that asked for the sign-in
 * (`returnTo`, always a path on this provider). Once the transaction is
 * consumed, failures go to the RP's redirect_uri, never to a page.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import type { EdgeContext } from "../edge_context.ts"
import { withCookies } from "../http/cookies.ts"
import { seeOther } from "../http/redirect.ts"
import { authorizationError } from "./authorization_response.ts"
import { loadTransaction } from "./authorization_transaction.ts"
import { continueAuthorization } from "./continue_authorization.ts"
import { openSession, type SignInMethod } from "./open_session.ts"

/** Finishes the login transaction `txId` for `userId`; the response carries the session cookie. */
export const completeSignIn = (
  ctx: EdgeContext,
  request: Request,
  txId: string,
  userId: string,
  method: SignInMethod
): Effect.Effect<Response, EdgeFailure> =>
  Effect.gen(function*() {
    const consumed = yield* loadTransaction(ctx.backends, "login", txId, "consume")
    const pending = consumed.request
    if (pending === null) {
      const { setCookie } = yield* openSession(ctx.backends, request, userId, method)
      return withCookies(seeOther(consumed.returnTo), [setCookie])
    }
    return yield* Effect.gen(function*() {
      const { session, setCookie } = yield* openSession(ctx.backends, request, userId, method)
      const client = yield* ctx.backends.identity.getClient({ clientId: pending.target.clientId })
      // The user is signed in even if the rest fails: the cookie goes out with the RP's error too.
      const next = yield* continueAuthorization(ctx, client, pending, { step: "signed-in", session }, consumed.csrf).pipe(
        Effect.catch((failure) => Effect.succeed(authorizationError(pending.target, ctx.issuer, failure)))
      )
      return withCookies(next, [setCookie])
    }).pipe(Effect.catch((failure) => Effect.succeed(authorizationError(pending.target, ctx.issuer, failure))))
  })
