/**
 * Ends a browser's session — the one step every logout path shares
 * (RP-initiated logout, and any provider page that signs a session out):
 * end the session's refresh families, revoke it in the session service, get
 * back the RPs it signed into, queue their back-channel logout tokens, name
 * their front-channel logout iframes, and clear the session cookie.
 */
import type { EdgeFailure, Session } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { cookieHeader, SESSION_COOKIE } from "../http/cookies.ts"
import { frontchannelFrames } from "./frontchannel_frames.ts"
import { loggedInClients, notifyBackchannel } from "./notify_backchannel.ts"

/** The `Set-Cookie` that deletes the session cookie. */
export const clearSessionCookie = (): string => cookieHeader(SESSION_COOKIE, "", 0)

/** What an ended browser session leaves to the page that ended it. */
export interface EndedBrowserSession {
  /** The `Set-Cookie` that clears the browser's session cookie. */
  readonly clearCookie: string
  /** Front-Channel Logout 1.0 iframe URLs (empty when no RP of the session registered one). */
  readonly frontchannelFrames: ReadonlyArray<string>
}

/**
 * Ends `session` and tells its RPs.
 * Its refresh families go first (issue 9 §2: online ones revoked, offline ones lose the `sid`):
 * if that fails the session is still alive and the user can simply retry, whereas a session
 * ended first would leave no handle to retry the revocation with. The tokens service records
 * the session as ended before listing, so a family of it created in between is refused too.
 */
export const endBrowserSession = Effect.fnUntraced(function*(ctx: RouteContext, session: Session): Effect.fn.Return<EndedBrowserSession, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  yield* backends.refreshFamilies.revokeFamiliesForSession({ userId: session.userId, sid: session.id })
  const { clientIds } = yield* backends.sessionLogout.endSession({ sessionId: session.id }).pipe(
    // Already gone (revoked elsewhere, expired): nothing left to end or to tell.
    Effect.catchTag("NotFound", () => Effect.succeed({ revoked: false, clientIds: [] as ReadonlyArray<string> }))
  )
  const clients = yield* loggedInClients(clientIds)
  yield* notifyBackchannel(ctx, { sub: session.userId, sid: session.id, clients })
  return { clearCookie: clearSessionCookie(), frontchannelFrames: frontchannelFrames(ctx.issuer, session.id, clients) }
})
