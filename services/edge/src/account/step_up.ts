/**
 * Step-up for account security changes (issue 9 §3; OWASP ASVS 4 V3.7.1):
 * adding/removing a passkey, enrolling/disabling TOTP, new recovery codes,
 * changing the password or the email address need a session that
 * authenticated within `STEP_UP_MAX_AGE_SECONDS` (default 300 s). Otherwise
 * the browser is sent to re-authenticate — a real, fresh sign-in (like
 * `prompt=login`) through the ordinary login transaction with `returnTo` =
 * the page — marked as a step-up of this session with the method the
 * account's strongest credential dictates:
 *
 * | account has | re-authentication must use |
 * |---|---|
 * | a passkey | that passkey (`hwk`/`swk`); a password is refused |
 * | a password (no passkey) | the password, then TOTP when enrolled (as any password sign-in) |
 * | neither | whatever it has (email link, upstream provider), then TOTP when enrolled |
 *
 * The re-authentication must be the same user; it then renews THIS session's
 * `authTime`/`amr`/`acr` (`SESSION.recordReauthentication`: same `sid`, the
 * RPs it signed into stay attached) and returns to the page.
 */
import type { EdgeFailure, Session } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { startTransaction, type StepUpMethod } from "../authorize/authorization_transaction.ts"
import { browserCsrfToken, csrfCookie } from "../authorize/csrf.ts"
import type { SignInMethod } from "../authorize/open_session.ts"
import { withCookies } from "../http/cookies.ts"
import { seeOther } from "../http/redirect.ts"

/** True when `session` authenticated recently enough for a security change. */
export const recentlyAuthenticated = (session: Session): Effect.Effect<boolean, never, Edge> =>
  Edge.use(({ stepUp }) => Clock.currentTimeMillis.pipe(Effect.map((now) => now - session.authTime <= stepUp.maxAgeSeconds * 1000)))

/** For a form's notice: the window in minutes when `session` is older than it (a change will ask to confirm), else null. */
export const staleSessionMinutes = Effect.fnUntraced(function*(session: Session) {
  const { stepUp } = yield* Edge
  return (yield* recentlyAuthenticated(session)) ? null : Math.max(1, Math.round(stepUp.maxAgeSeconds / 60))
})

/** The step-up method for an account with these credentials (see the table above). */
export const stepUpMethodFor = (methods: { readonly passkeys: number; readonly password: boolean }): StepUpMethod =>
  methods.passkeys > 0 ? "passkey" : methods.password ? "password" : "any"

const PASSKEY_AMR = ["hwk", "swk"]

/** Whether a sign-in `method` satisfies the step-up requirement (a passkey satisfies every one). */
export const satisfiesStepUp = (required: StepUpMethod, method: SignInMethod): boolean => {
  const passkey = method.amr.some((value) => PASSKEY_AMR.includes(value))
  switch (required) {
    case "passkey":
      return passkey
    case "password":
      return passkey || method.amr.includes("pwd")
    case "any":
      return true
  }
}

/** Starts a step-up of `session` returning to `returnTo`: the 303 to the re-authentication page. */
export const startStepUp = Effect.fnUntraced(function*(request: Request, session: Session, returnTo: string): Effect.fn.Return<Response, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const methods = yield* backends.accountSecurity.getSignInMethods({ userId: session.userId })
  const csrf = browserCsrfToken(request)
  const tx = yield* startTransaction("login", {
    request: null,
    returnTo,
    csrf,
    userId: session.userId,
    sessionId: session.id,
    stepUp: stepUpMethodFor(methods)
  })
  return withCookies(seeOther(`/login?tx=${encodeURIComponent(tx)}`), [csrfCookie(csrf)])
})

/**
 * The server-side gate of every changing POST: null when `session` may make
 * the change now, else the redirect to re-authenticate (the change is NOT
 * made; the user comes back to `returnTo` and does it again).
 */
export const requireRecentAuthentication = (
  request: Request,
  session: Session,
  returnTo: string
): Effect.Effect<Response | null, EdgeFailure, Edge> =>
  Effect.flatMap(recentlyAuthenticated(session), (recent) => (recent ? Effect.succeed(null) : startStepUp(request, session, returnTo)))
