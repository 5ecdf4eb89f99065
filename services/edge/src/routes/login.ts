/**
 * `GET /login?tx=…` shows the password form of a pending authorization;
 * `POST /login` checks CSRF and the password, consumes the transaction (single
 * use), opens the session and moves the authorization on. A wrong password
 * re-shows the form and keeps the transaction. Until the transaction is
 * consumed errors are pages; after, they go to the RP's redirect_uri.
 */
import { Effect } from "effect"
import { authorizationError } from "../authorize/authorization_response.ts"
import { loadTransaction } from "../authorize/authorization_transaction.ts"
import { continueAuthorization } from "../authorize/continue_authorization.ts"
import { verifyCsrf } from "../authorize/csrf.ts"
import { openPasswordSession } from "../authorize/open_session.ts"
import type { EdgeContext } from "../edge_context.ts"
import { withCookies } from "../http/cookies.ts"
import { readFormBody } from "../http/form_body.ts"
import { accountKey, clientIp, LOGIN_PER_ACCOUNT, LOGIN_PER_IP, rateLimitGate } from "../http/rate_limit_gate.ts"
import { paramsFrom } from "../http/request_params.ts"
import { errorPage } from "../pages/error_page.ts"
import { loginPage } from "../pages/login_page.ts"

/** Counts a password attempt against the per-IP and per-account policies; the first denial, if any. */
const loginAttemptLimit = (ctx: EdgeContext, request: Request, email: string) =>
  Effect.gen(function*() {
    const ip = clientIp(request)
    const byIp = ip === null ? null : yield* rateLimitGate(ctx.backends, LOGIN_PER_IP, ip)
    return byIp ?? (yield* rateLimitGate(ctx.backends, LOGIN_PER_ACCOUNT, yield* accountKey(email)))
  })

/** `GET /login`. */
export const showLogin = (request: Request, ctx: EdgeContext): Effect.Effect<Response> =>
  Effect.gen(function*() {
    const params = yield* paramsFrom(new URL(request.url).searchParams)
    const tx = yield* loadTransaction(ctx.backends, "login", params.get("tx"), "peek")
    const client = yield* ctx.backends.identity.getClient({ clientId: tx.request.target.clientId })
    return loginPage({ tx: tx.id, csrf: tx.csrf, clientName: client.clientName, email: tx.request.loginHint, error: null })
  }).pipe(Effect.catch((failure) => Effect.succeed(errorPage(failure))))

/** `POST /login`. */
export const submitLogin = (request: Request, ctx: EdgeContext): Effect.Effect<Response> =>
  Effect.gen(function*() {
    const form = yield* readFormBody(request)
    const tx = yield* loadTransaction(ctx.backends, "login", form.get("tx"), "peek")
    yield* verifyCsrf(request, form, tx.csrf)
    const client = yield* ctx.backends.identity.getClient({ clientId: tx.request.target.clientId })
    const email = form.get("email")
    const password = form.get("password")
    const again = (error: string, status: number) =>
      loginPage({ tx: tx.id, csrf: tx.csrf, clientName: client.clientName, email: email ?? tx.request.loginHint, error }, status)
    if (email === undefined || password === undefined) return again("Enter your email and password.", 400)
    const limited = yield* loginAttemptLimit(ctx, request, email)
    if (limited !== null) {
      const response = again(`Too many sign-in attempts. Try again in ${limited.retryAfter} seconds.`, 429)
      response.headers.set("retry-after", String(limited.retryAfter))
      return response
    }
    const user = yield* ctx.backends.identity.authenticatePassword({ email, password }).pipe(
      Effect.catchTag("InvalidCredentials", () => Effect.succeed(null))
    )
    if (user === null) return again("Incorrect email or password.", 401)
    const consumed = yield* loadTransaction(ctx.backends, "login", tx.id, "consume")
    return yield* Effect.gen(function*() {
      const { session, setCookie } = yield* openPasswordSession(ctx.backends, request, user.id)
      // The user is signed in even if the rest fails: the cookie goes out with the RP's error too.
      const next = yield* continueAuthorization(ctx, client, consumed.request, { step: "signed-in", session }, tx.csrf).pipe(
        Effect.catch((failure) => Effect.succeed(authorizationError(consumed.request.target, ctx.issuer, failure)))
      )
      return withCookies(next, [setCookie])
    }).pipe(Effect.catch((failure) => Effect.succeed(authorizationError(consumed.request.target, ctx.issuer, failure))))
  }).pipe(Effect.catch((failure) => Effect.succeed(errorPage(failure))))
