/**
 * Producer side of back-channel logout: one queue message per RP, sent in one
 * batch (one Queues operation per 100 RPs). Nothing here talks to an RP, so
 * the user's logout waits only for the enqueue.
 */
import { Unavailable } from "@authrim/contracts"
import { Context, Effect } from "effect"
import type { BackchannelMessage } from "./backchannel_message.ts"
import { subjectClaims } from "../pairwise/pairwise_subject.ts"
import { TokenStores } from "../token_stores.ts"

/** The back-channel logout queue (`BACKCHANNEL_LOGOUT_QUEUE`), as a service of the tokens Layer. */
export class BackchannelQueue extends Context.Service<BackchannelQueue, Queue<BackchannelMessage>>()("@authrim/tokens/BackchannelQueue") {}

/** Queues' `sendBatch` limit. */
const SEND_BATCH_LIMIT = 100

/** Input of queueBackchannelLogout (contract). */
export interface BackchannelLogoutRequest {
  readonly issuer: string
  readonly sub: string
  readonly sid: string
  readonly deliveries: ReadonlyArray<{
    readonly clientId: string
    readonly uri: string
    readonly alg: "RS256" | "ES256"
    /** OIDC Core §8.1: the client's pairwise sector; its logout token names the pairwise `sub` (computed here, once). */
    readonly pairwiseSector?: string | undefined
  }>
}

/** Enqueues one message per delivery; `queued` is how many. */
export const queueBackchannelLogout = Effect.fnUntraced(function*(
  request: BackchannelLogoutRequest
): Effect.fn.Return<{ queued: number }, Unavailable, BackchannelQueue | TokenStores> {
  const queue = yield* BackchannelQueue
  const pairwise = (yield* TokenStores).pairwise
  // A pairwise RP is told its own `sub` for the user (the message carries it; the consumer only signs).
  const messages = yield* Effect.forEach(request.deliveries, (d) =>
    Effect.map(subjectClaims(pairwise, request.sub, d.pairwiseSector), ({ sub }) => ({
      body: { clientId: d.clientId, uri: d.uri, alg: d.alg, issuer: request.issuer, sub, sid: request.sid },
      contentType: "json" as const
    })))
  for (let i = 0; i < messages.length; i += SEND_BATCH_LIMIT) {
    const chunk = messages.slice(i, i + SEND_BATCH_LIMIT)
    yield* Effect.tryPromise({
      try: () => queue.sendBatch(chunk),
      catch: (cause) => new Unavailable({ service: "tokens", reason: `backchannel queue: ${cause instanceof Error ? cause.message : String(cause)}` })
    })
  }
  return { queued: messages.length }
})
