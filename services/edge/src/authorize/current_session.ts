/** The browser's live session, from the `__Host-authrim_session` cookie (null when absent, unknown, revoked or expired). */
import type { EdgeFailure, Session } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { readCookie, SESSION_COOKIE } from "../http/cookies.ts"

/** Storage faults still fail: a session service outage is not "signed out". */
export const currentSession = (request: Request): Effect.Effect<Session | null, EdgeFailure, Edge> => {
  const cookie = readCookie(request, SESSION_COOKIE)
  if (cookie === undefined) return Effect.succeed(null)
  return Edge.use(({ backends }) => backends.session.authenticate({ cookie }).pipe(Effect.catchTag("NotFound", () => Effect.succeed(null))))
}
