/**
 * `GET /account` shows the signed-in user's profile and sessions;
 * `POST /account/sessions` ends sessions: `action=revoke` + `sessionId` (one
 * of the user's own — another user's id is refused, whatever the form says),
 * `revoke_others` (all but this browser) or `revoke_all` (sign out
 * everywhere). Ending this browser's session clears its cookie. CSRF: double
 * submit — the form's `csrf` must equal this browser's `__Host-authrim_csrf` cookie,
 * as on the other account pages. Without a session the browser is sent to
 * sign in (any method) and comes back to `/account`. Every way a session ends
 * here tells its RPs (Back-Channel Logout 1.0), as `/end_session` does.
 */
import { OAuthError, type EdgeFailure, type Session } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { accountSession } from "../authorize/account_session.ts"
import { browserCsrfToken, csrfCookie, verifyCsrf } from "../authorize/csrf.ts"
import type { RouteContext } from "../route_context.ts"
import { cookieHeader, CSRF_COOKIE, readCookie, SESSION_COOKIE, withCookies } from "../http/cookies.ts"
import { readFormBody } from "../http/form_body.ts"
import { seeOther } from "../http/redirect.ts"
import { endBrowserSession } from "../logout/end_browser_session.ts"
import { endUserSessions } from "../logout/end_user_sessions.ts"
import { accountPage, signedOutPage } from "../pages/account_page.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { accountLocaleOf, pageLocale } from "../i18n/negotiate_locale.ts"

/** The page's path: where a sign-in for it returns, and where each change redirects. */
export const ACCOUNT_PATH = "/account"

/** `GET /account`. */
export const showAccount = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const access = yield* accountSession(request, ACCOUNT_PATH)
  if (!access.signedIn) return access.redirect
  const userId = access.session.userId
  // The account's `locale` claim (issue 12 §5: ui_locales → account locale → Accept-Language) is on the profile,
  // read beside the user (the three calls run side by side); a profile that cannot be
  // read only costs the preference, never the page.
  const [user, { sessions }, profile] = yield* Effect.all([
    backends.identity.getUser({ userId }),
    backends.session.listForUser({ userId }),
    backends.userProfile.getUserProfile({ userId }).pipe(Effect.catch(() => Effect.succeed(null)))
  ], { concurrency: 3 })
  const csrf = browserCsrfToken(request)
  return withCookies(accountPage(pageLocale(request, { accountLocale: profile?.locale ?? accountLocaleOf(user) }), { csrf, user, sessions, currentSessionId: access.session.id, profileSaved: new URL(request.url).searchParams.get("profile") === "saved" }), [csrfCookie(csrf)])
}, orErrorPage)

const forbidden = () => new OAuthError({ code: "access_denied", description: "that session is not one of yours" })

/**
 * Ends one session of `current`'s user. The session is read first and its
 * owner compared: a forged form naming someone else's session id changes
 * nothing. An id that is already gone is not an error (a double click).
 */
const revokeOwnSession = Effect.fnUntraced(function*(ctx: RouteContext, current: Session, sessionId: string | undefined): Effect.fn.Return<boolean, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  if (sessionId === undefined) return yield* new OAuthError({ code: "invalid_request", description: "sessionId is required" })
  const target = yield* backends.session.get({ sessionId }).pipe(Effect.catchTag("NotFound", () => Effect.succeed(null)))
  if (target === null) return false
  if (target.userId !== current.userId) return yield* forbidden()
  yield* endBrowserSession(ctx, target)
  return target.id === current.id
})

/** This browser's session is over: clear its cookie and say so. */
const signedOut = (request: Request) => withCookies(signedOutPage(pageLocale(request)), [cookieHeader(SESSION_COOKIE, "", 0)])

/** `POST /account/sessions`. */
export const submitAccountSessions = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const form = yield* readFormBody(request)
  yield* verifyCsrf(request, form, readCookie(request, CSRF_COOKIE) ?? "")
  const access = yield* accountSession(request, ACCOUNT_PATH)
  if (!access.signedIn) return access.redirect
  const current = access.session
  switch (form.get("action")) {
    case "revoke":
      return (yield* revokeOwnSession(ctx, current, form.get("sessionId"))) ? signedOut(request) : seeOther(ACCOUNT_PATH)
    case "revoke_others":
      // Only the ended sessions' refresh families: this is not a credential change.
      yield* endUserSessions(ctx, current.userId, current.id, { families: "of_ended_sessions" })
      return seeOther(ACCOUNT_PATH)
    case "revoke_all":
      yield* endUserSessions(ctx, current.userId, undefined, { reason: "sign_out_everywhere" })
      return signedOut(request)
    default:
      return yield* new OAuthError({ code: "invalid_request", description: "action must be revoke, revoke_others or revoke_all" })
  }
}, orErrorPage)
