/**
 * Producer side of back-channel logout: one queue message per RP, sent in one
 * batch (one Queues operation per 100 RPs). Nothing here talks to an RP, so
 * the user's logout waits only for the enqueue.
 */
import { Unavailable } from "@authrim/contracts"
import { Context, Effect } from "effect"
import type { BackchannelMessage } from "./backchannel_message.ts"

/** The back-channel logout queue (`BACKCHANNEL_LOGOUT_QUEUE`), as a service of the tokens Layer. */
export class BackchannelQueue extends Context.Service<BackchannelQueue, Queue<BackchannelMessage>>()("@authrim/tokens/BackchannelQueue") {}

/** Queues' `sendBatch` limit. */
const SEND_BATCH_LIMIT = 100

/** Input of queueBackchannelLogout (contract). */
export interface BackchannelLogoutRequest {
  readonly issuer: string
  readonly sub: string
  readonly sid: string
  readonly deliveries: ReadonlyArray<{ readonly clientId: string; readonly uri: string; readonly alg: "RS256" | "ES256" }>
}

/** Enqueues one message per delivery; `queued` is how many. */
export const queueBackchannelLogout = Effect.fnUntraced(function*(
  request: BackchannelLogoutRequest
): Effect.fn.Return<{ queued: number }, Unavailable, BackchannelQueue> {
  const queue = yield* BackchannelQueue
  const messages = request.deliveries.map((d) => ({
    body: { clientId: d.clientId, uri: d.uri, alg: d.alg, issuer: request.issuer, sub: request.sub, sid: request.sid },
    contentType: "json" as const
  }))
  for (let i = 0; i < messages.length; i += SEND_BATCH_LIMIT) {
    const chunk = messages.slice(i, i + SEND_BATCH_LIMIT)
    yield* Effect.tryPromise({
      try: () => queue.sendBatch(chunk),
      catch: (cause) => new Unavailable({ service: "tokens", reason: `backchannel queue: ${cause instanceof Error ? cause.message : String(cause)}` })
    })
  }
  return { queued: messages.length }
})
