/**
 * Back-Channel Logout 1.0 §2.5 from the edge: after a session ended, queue a
 * logout token for each RP it signed into that registered a
 * `backchannel_logout_uri`. Only the enqueue is awaited (delivery and retries
 * run in the tokens service's queue consumer), and a failure here is logged,
 * never shown: the user is signed out either way.
 */
import type { Client } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { edgeLog } from "../http/edge_log.ts"

/** The RPs to tell: recorded clients that still exist and have a back-channel URI. */
const deliveriesFor = (clientIds: ReadonlyArray<string>) =>
  Effect.forEach(clientIds, (clientId) => Edge.use(({ backends }) => backends.identity.getClient({ clientId }).pipe(Effect.option)), { concurrency: 8 }).pipe(
    Effect.map((clients) =>
      clients.flatMap((found) => {
        if (found._tag === "None") return []
        const client: Client = found.value
        const uri = client.backchannelLogoutUri
        return uri === undefined || uri === null ? [] : [{ clientId: client.clientId, uri, alg: client.idTokenSignedResponseAlg }]
      })
    )
  )

/** Queues the back-channel logouts of session `sid` (user `sub`); never fails. */
export const notifyBackchannel = Effect.fnUntraced(function*(
  ctx: RouteContext,
  ended: { readonly sub: string; readonly sid: string; readonly clientIds: ReadonlyArray<string> }
) {
  const { backends } = yield* Edge
  if (ended.clientIds.length === 0) return
  const deliveries = yield* deliveriesFor(ended.clientIds)
  if (deliveries.length === 0) return
  yield* backends.tokensLogout.queueBackchannelLogout({ issuer: ctx.issuer, sub: ended.sub, sid: ended.sid, deliveries })
}, Effect.catch((failure) => edgeLog.error("back-channel logout not queued", { failure: failure._tag, reason: "reason" in failure ? failure.reason : "" })))
