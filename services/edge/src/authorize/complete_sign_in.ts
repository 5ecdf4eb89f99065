/**
 * The one place a sign-in finishes, whatever the method (password, passkey,
 * magic link, upstream identity provider). First the second-factor rule: a
 * user with TOTP who signed in with a first factor alone (no `hwk`/`swk`/
 * `mfa`/`otp` in its amr) is sent to `/login/totp` and the transaction stays
 * open (see `second_factor_challenge.ts`). Otherwise — and after a valid code
 * — `finishSignIn` opens the session with the method's amr/acr and moves on:
 * to the RP's consent page (rendered in the same response; the transaction
 * stays open until the user answers it), or — claiming the transaction first
 * (single use: of racing completions exactly one gets past the claim) — back
 * into the RP's authorization request, to the provider page that asked for
 * the sign-in (`returnTo`, always a path on this provider), or, for a step-up
 * re-authentication, renewing the session that asked
 * (`account/finish_step_up.ts`). Once the transaction is claimed, failures go
 * to the RP's redirect_uri, never to a page.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { finishStepUp } from "../account/finish_step_up.ts"
import type { RouteContext } from "../route_context.ts"
import { withCookies } from "../http/cookies.ts"
import { seeOther } from "../http/redirect.ts"
import { authorizationError } from "./authorization_response.ts"
import { claimTransaction, loadTransaction, transactionClient, type ClientSummary } from "./authorization_transaction.ts"
import { needsSecondFactor } from "./authentication_context.ts"
import { requestNamesAnotherUser } from "./requested_user.ts"
import { consentRequired } from "./consent_requirement.ts"
import { continueAuthorization, presentConsent } from "./continue_authorization.ts"
import { openSession, type SignInMethod } from "./open_session.ts"
import type { PendingAuthorization } from "./pending_authorization.ts"
import { startSecondFactor } from "./second_factor_challenge.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"

/**
 * Completes the first factor of transaction `txId` for `userId`: straight to
 * `finishSignIn`, or to the second-factor page when the user has TOTP and the
 * method is not strong on its own. `totpEnabled` when the caller already knows
 * it (a password sign-in reads it with the user); otherwise one MFA-status read.
 */
export const completeSignIn = Effect.fnUntraced(function*(
  ctx: RouteContext,
  request: Request,
  txId: string,
  userId: string,
  method: SignInMethod,
  totpEnabled?: boolean
): Effect.fn.Return<Response, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const needsTotp = needsSecondFactor(method) &&
    (totpEnabled ?? (yield* backends.mfa.getMfaStatus({ userId })).totpEnabled)
  if (needsTotp) {
    const tx = yield* loadTransaction("login", txId)
    const step = yield* startSecondFactor(tx, userId, method)
    return seeOther(`/login/totp?mfa=${encodeURIComponent(step)}`)
  }
  return yield* finishSignIn(ctx, request, txId, userId, method)
})

/**
 * Finishes the login transaction `txId` for `userId` (every factor done); the
 * response carries the session cookie. When the RP's consent page comes next
 * the transaction stays open and the page is rendered in this response (its
 * approval or denial takes the single use); otherwise the transaction is
 * claimed first — of racing completions exactly one gets past the claim.
 */
export const finishSignIn = Effect.fnUntraced(function*(
  ctx: RouteContext,
  request: Request,
  txId: string,
  userId: string,
  method: SignInMethod
): Effect.fn.Return<Response, EdgeFailure, Edge> {
  const tx = yield* loadTransaction("login", txId)
  const pending = tx.request
  if (pending !== null && tx.stepUp === null && tx.sealed) {
    const client = yield* transactionClient(tx, pending)
    const consentNext = !(yield* requestNamesAnotherUser(pending, userId)) && (yield* consentRequired(client, pending, userId))
    if (consentNext) {
      const { session, setCookie } = yield* openSession(request, userId, method)
      return withCookies(yield* presentConsent(pageLocale(request, pending), client, pending, session, tx.csrf, tx), [setCookie])
    }
    yield* claimTransaction(ctx, tx)
    return yield* signedInForClient(ctx, request, client, pending, userId, method, tx.csrf, "consented")
  }
  yield* claimTransaction(ctx, tx)
  // A step-up re-authentication for an account security change renews the session that asked.
  if (tx.stepUp !== null) return yield* finishStepUp(request, tx, userId, method)
  if (pending === null) {
    const { setCookie } = yield* openSession(request, userId, method)
    return withCookies(seeOther(tx.returnTo), [setCookie])
  }
  return yield* Effect.flatMap(transactionClient(tx, pending), (client) =>
    signedInForClient(ctx, request, client, pending, userId, method, tx.csrf, "signed-in")).pipe(
      Effect.catch((failure) => authorizationError(pending.target, ctx.issuer, failure, pageLocale(request, pending)))
    )
})

/**
 * Opens the session and moves the RP's request on (`consented`: the consent
 * question is already settled). The user is signed in even if the rest
 * fails: the cookie goes out with the RP's error too.
 */
const signedInForClient = Effect.fnUntraced(function*(
  ctx: RouteContext,
  request: Request,
  client: ClientSummary,
  pending: PendingAuthorization,
  userId: string,
  method: SignInMethod,
  csrf: string,
  step: "signed-in" | "consented"
) {
  // Consent settled and the user the one the request names: a code follows, so the RP is recorded with the session.
  const codeNext = step === "consented" && !(yield* requestNamesAnotherUser(pending, userId))
  const { session, setCookie, clientRecorded } = yield* openSession(request, userId, method, codeNext ? client.clientId : undefined)
  const progress = step === "consented" ? { step, session, clientRecorded } : { step, session }
  const next = yield* continueAuthorization(ctx, client, pending, progress, csrf, pageLocale(request, pending)).pipe(
    Effect.catch((failure) => authorizationError(pending.target, ctx.issuer, failure, pageLocale(request, pending)))
  )
  return withCookies(next, [setCookie])
}, (effect, ctx, request, _client, pending) => effect.pipe(Effect.catch((failure) => authorizationError(pending.target, ctx.issuer, failure, pageLocale(request, pending)))))
