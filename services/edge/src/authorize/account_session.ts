/**
 * Account pages need a signed-in browser. Without a session they start a
 * login transaction with no RP request and `returnTo` = the page, so the
 * login page (any sign-in method) comes back here through `completeSignIn`.
 */
import type { EdgeFailure, Session } from "@authrim/contracts"
import { Effect } from "effect"
import type { Edge } from "../edge_layer.ts"
import { withCookies } from "../http/cookies.ts"
import { seeOther } from "../http/redirect.ts"
import { startTransaction } from "./authorization_transaction.ts"
import { browserCsrfToken, csrfCookie } from "./csrf.ts"
import { currentSession } from "./current_session.ts"

/** The session, or the redirect to sign in first. */
export type AccountAccess =
  | { readonly signedIn: true; readonly session: Session }
  | { readonly signedIn: false; readonly redirect: Response }

/** The browser's session for the account page at `returnTo`, or a redirect to the login page that returns there. */
export const accountSession = Effect.fnUntraced(function*(request: Request, returnTo: string): Effect.fn.Return<AccountAccess, EdgeFailure, Edge> {
  const session = yield* currentSession(request)
  if (session !== null) return { signedIn: true, session }
  const csrf = browserCsrfToken(request)
  const tx = yield* startTransaction("login", { request: null, returnTo, csrf, userId: null, sessionId: null })
  return { signedIn: false, redirect: withCookies(seeOther(`/login?tx=${encodeURIComponent(tx)}`), [csrfCookie(csrf)]) }
})
