/**
 * Back-Channel Logout 1.0 §2.5 from the edge: after a session ended, queue a
 * logout token for each RP it signed into that registered a
 * `backchannel_logout_uri`. Only the enqueue is awaited (delivery and retries
 * run in the tokens service's queue consumer), and a failure here is logged,
 * never shown: the user is signed out either way.
 */
import type { Client } from "@authrim/contracts"
import { pairwiseOption } from "../token_endpoint/issue_options.ts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { edgeLog } from "../http/edge_log.ts"

/** The recorded clients that still exist (one that cannot be read now is skipped: logout never fails for it). */
export const loggedInClients = (clientIds: ReadonlyArray<string>) =>
  Effect.forEach(clientIds, (clientId) => Edge.use(({ backends }) => backends.identity.getClient({ clientId }).pipe(Effect.option)), { concurrency: 8 }).pipe(
    Effect.map((found) => found.flatMap((client) => (client._tag === "None" ? [] : [client.value])))
  )

/** The RPs to tell: clients with a back-channel URI. */
const deliveriesFor = (clients: ReadonlyArray<Client>) =>
  clients.flatMap((client) => {
    const uri = client.backchannelLogoutUri
    return uri === undefined || uri === null ? [] : [{ clientId: client.clientId, uri, alg: client.idTokenSignedResponseAlg, ...pairwiseOption(client) }]
  })

/** Queues the back-channel logouts of session `sid` (user `sub`) to `clients`; never fails. */
export const notifyBackchannel = Effect.fnUntraced(function*(
  ctx: RouteContext,
  ended: { readonly sub: string; readonly sid: string; readonly clients: ReadonlyArray<Client> }
) {
  const { backends } = yield* Edge
  const deliveries = deliveriesFor(ended.clients)
  if (deliveries.length === 0) return
  yield* backends.tokensLogout.queueBackchannelLogout({ issuer: ctx.issuer, sub: ended.sub, sid: ended.sid, deliveries })
}, Effect.catch((failure) => edgeLog.error("back-channel logout not queued", { failure: failure._tag, reason: "reason" in failure ? failure.reason : "" })))
