/**
 * The one place a sign-in finishes, whatever the method (password, passkey,
 * magic link, upstream identity provider). First the second-factor rule: a
 * user with TOTP who signed in with a first factor alone (no `hwk`/`swk`/
 * `mfa`/`otp` in its amr) is sent to `/login/totp` and the transaction stays
 * open (see `second_factor_challenge.ts`). Otherwise — and after a valid code
 * — `finishSignIn` consumes the login transaction (single use — of two racing
 * completions exactly one gets past here), opens the session with the
 * method's amr/acr, and moves on: back into the RP's authorization request,
 * or to the provider page that asked for the sign-in (`returnTo`, always a
 * path on this provider), or — for a step-up re-authentication — renewing the
 * session that asked (`account/finish_step_up.ts`). Once the transaction is consumed, failures go to
 * the RP's redirect_uri, never to a page.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { finishStepUp } from "../account/finish_step_up.ts"
import type { EdgeContext } from "../edge_context.ts"
import { withCookies } from "../http/cookies.ts"
import { seeOther } from "../http/redirect.ts"
import { authorizationError } from "./authorization_response.ts"
import { loadTransaction } from "./authorization_transaction.ts"
import { needsSecondFactor } from "./authentication_context.ts"
import { continueAuthorization } from "./continue_authorization.ts"
import { openSession, type SignInMethod } from "./open_session.ts"
import { startSecondFactor } from "./second_factor_challenge.ts"

/**
 * Completes the first factor of transaction `txId` for `userId`: straight to
 * `finishSignIn`, or to the second-factor page when the user has TOTP and the
 * method is not strong on its own. `totpEnabled` when the caller already knows
 * it (a password sign-in reads it with the user); otherwise one MFA-status read.
 */
export const completeSignIn = (
  ctx: EdgeContext,
  request: Request,
  txId: string,
  userId: string,
  method: SignInMethod,
  totpEnabled?: boolean
): Effect.Effect<Response, EdgeFailure> =>
  Effect.gen(function*() {
    const needsTotp = needsSecondFactor(method) &&
      (totpEnabled ?? (yield* ctx.backends.mfa.getMfaStatus({ userId })).totpEnabled)
    if (needsTotp) {
      const tx = yield* loadTransaction(ctx.backends, "login", txId, "peek")
      const step = yield* startSecondFactor(ctx.backends, tx, userId, method)
      return seeOther(`/login/totp?mfa=${encodeURIComponent(step)}`)
    }
    return yield* finishSignIn(ctx, request, txId, userId, method)
  })

/** Finishes the login transaction `txId` for `userId` (every factor done); the response carries the session cookie. */
export const finishSignIn = (
  ctx: EdgeContext,
  request: Request,
  txId: string,
  userId: string,
  method: SignInMethod
): Effect.Effect<Response, EdgeFailure> =>
  Effect.gen(function*() {
    const consumed = yield* loadTransaction(ctx.backends, "login", txId, "consume")
    // A step-up re-authentication for an account security change renews the session that asked.
    if (consumed.stepUp !== null) return yield* finishStepUp(ctx, request, consumed, userId, method)
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
