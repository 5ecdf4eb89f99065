/**
 * Queue consumer of back-channel logout (Back-Channel Logout 1.0 §2.5): for
 * each message, sign a logout token and POST it form-encoded
 * (`logout_token=…`) to the RP. 200 or 204 is success (§2.8). Anything else —
 * an RP error, a timeout, a signing fault — is retried through the queue with
 * exponential backoff, at most `MAX_DELIVERY_ATTEMPTS` times in all; then the
 * failure is logged and the message dropped (the RP's session will end on its
 * own expiry; there is nothing more the provider can do).
 */
import { KeysSigningContract, logger, type RpcClient } from "@authrim/contracts"
import { Clock, Context, Effect, Result, Schema } from "effect"
import { BackchannelMessage } from "./backchannel_message.ts"
import { signLogoutToken } from "./logout_token.ts"

/** Delivery attempts before giving up (first try + 7 retries ≈ 21 min with the default base). */
export const MAX_DELIVERY_ATTEMPTS = 8
/** Default first retry delay; doubled per attempt. `BACKCHANNEL_RETRY_BASE_SECONDS` overrides it. */
export const DEFAULT_RETRY_BASE_SECONDS = 5
/** Longest wait between two attempts. */
export const MAX_RETRY_DELAY_SECONDS = 600
/** How long one POST to an RP may take (§2.8 leaves it to the OP; a slow RP must not hold the consumer). */
export const DELIVERY_TIMEOUT_MS = 10_000

/** Delay before retrying after attempt number `attempts` (1-based): base, 2·base, 4·base, … capped. */
export const retryDelaySeconds = (attempts: number, baseSeconds: number): number =>
  Math.min(MAX_RETRY_DELAY_SECONDS, Math.max(1, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1))))

/** Reads the configured retry base (positive number of seconds) or the default. */
export const retryBaseFrom = (configured: string | undefined): number => {
  const parsed = Number(configured)
  return Number.isFinite(parsed) && parsed > 0 ? parsed : DEFAULT_RETRY_BASE_SECONDS
}

/** POSTs a form body to `uri`; resolves with the HTTP status. Injected so tests observe deliveries without a network. */
export type PostForm = (uri: string, body: URLSearchParams) => Promise<number>

/** The real transport: a plain POST, no redirects followed (a redirect is not an acknowledgement). */
export const postForm: PostForm = async (uri, body) => {
  const response = await fetch(uri, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS)
  })
  await response.body?.cancel()
  return response.status
}

/** What the consumer needs: the keys service, the transport, the retry base (live: backchannel_delivery_deps.ts; tests give their own). */
export class BackchannelDelivery extends Context.Service<BackchannelDelivery, {
  readonly keys: RpcClient<typeof KeysSigningContract>
  readonly post: PostForm
  readonly retryBaseSeconds: number
}>()("@authrim/tokens/BackchannelDelivery") {}

const decodeMessage = Schema.decodeUnknownEffect(BackchannelMessage)

/** Why one attempt failed (for the log and the retry decision). */
class DeliveryFailed extends Schema.TaggedError<DeliveryFailed>()("DeliveryFailed", {
  reason: Schema.String
}) {}

/** One attempt for one message: sign, POST, and judge the answer. */
const attempt = Effect.fnUntraced(function*(body: BackchannelMessage): Effect.fn.Return<void, DeliveryFailed, BackchannelDelivery> {
  const deps = yield* BackchannelDelivery
  const now = yield* Clock.currentTimeMillis
  const token = yield* signLogoutToken(deps.keys, body, now).pipe(
    Effect.mapError((e) => new DeliveryFailed({ reason: `signing: ${e._tag === "OAuthError" ? e.description : e.reason}` }))
  )
  const status = yield* Effect.tryPromise({
    try: () => deps.post(body.uri, new URLSearchParams({ logout_token: token })),
    catch: (cause) => new DeliveryFailed({ reason: `POST: ${cause instanceof Error ? cause.message : String(cause)}` })
  })
  if (status !== 200 && status !== 204) return yield* new DeliveryFailed({ reason: `RP answered HTTP ${status}` })
})

const log = logger("tokens")

/** Handles one message: ack on success or when hopeless, retry with backoff otherwise. */
const handle = Effect.fnUntraced(function*(message: Message<unknown>): Effect.fn.Return<void, never, BackchannelDelivery> {
  const decoded = yield* Effect.result(decodeMessage(message.body))
  if (Result.isFailure(decoded)) {
    yield* log.error("backchannel logout: malformed queue message dropped", { id: message.id })
    return message.ack()
  }
  const body = decoded.success
  const outcome = yield* Effect.result(attempt(body))
  if (Result.isSuccess(outcome)) return message.ack()
  if (message.attempts >= MAX_DELIVERY_ATTEMPTS) {
    yield* log.error("backchannel logout: giving up", { clientId: body.clientId, uri: body.uri, sid: body.sid, attempts: message.attempts, reason: outcome.failure.reason })
    return message.ack()
  }
  const { retryBaseSeconds } = yield* BackchannelDelivery
  const delaySeconds = retryDelaySeconds(message.attempts, retryBaseSeconds)
  yield* log.warn("backchannel logout: attempt failed; retrying", { clientId: body.clientId, uri: body.uri, sid: body.sid, attempts: message.attempts, reason: outcome.failure.reason, delaySeconds })
  message.retry({ delaySeconds })
})

/** The queue handler's work: every message of the batch, concurrently (RPs are independent). */
export const deliverBackchannelBatch = (batch: MessageBatch<unknown>): Effect.Effect<void, never, BackchannelDelivery> =>
  Effect.forEach(batch.messages, handle, { concurrency: "unbounded", discard: true })
