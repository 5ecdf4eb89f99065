/**
 * Tells identity about a security change the edge just made for a user
 * (`notifySecurityChange`: the notice email and the audit record, both owned
 * by identity), with the session and client IP the change came from. The
 * change has happened whatever this answers, so a failure is logged, never
 * shown as a failed change.
 */
import type { SecurityEventType } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { edgeLog } from "../http/edge_log.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"

/** Who made the change: the user, and their session when they were signed in (null for a reset link). */
export interface ChangedBy {
  readonly userId: string
  readonly sessionId: string | null
}

/** Reports `event`; never fails. */
export const reportSecurityChange = (request: Request, by: ChangedBy, event: SecurityEventType): Effect.Effect<void, never, Edge> =>
  Edge.use(({ backends }) => backends.accountSecurity.notifySecurityChange({
    userId: by.userId,
    event,
    origin: { sessionId: by.sessionId, ipAddress: request.headers.get("cf-connecting-ip") },
    // The notice speaks the language of the page the change was made on.
    locale: pageLocale(request)
  }).pipe(
    Effect.asVoid,
    Effect.catch((failure) => edgeLog.error("security notice not sent", { event, userId: by.userId, failure: failure._tag }))
  ))
