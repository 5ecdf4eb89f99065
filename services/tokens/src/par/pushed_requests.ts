/**
 * Pushed authorization requests (RFC 9126): storing one for the
 * authenticated client, and consuming it once at `/authorize`. The edge has
 * already authenticated the client and validated the parameters; this side
 * owns the request_uri's secrecy (hash at rest), lifetime and single use.
 */
import { sha256Base64url } from "@authrim/platform"
import {
  OAuthError,
  PAR_DEFAULT_TTL_SECONDS,
  PAR_MAX_TTL_SECONDS,
  PushedParameters,
  type ParContract,
  type Unavailable
} from "@authrim/contracts"
import { Clock, Context, Effect, Schema } from "effect"
import type { ServiceEnv } from "../env.ts"
import { callStore } from "../token_stores.ts"
import type { PARRequestStore } from "./par_request_store.ts"
import { newRequestUri, parShardOf } from "./request_uri_format.ts"

type PushInput = typeof ParContract.pushAuthorizationRequest.input.Type
type ConsumeInput = typeof ParContract.consumePushedRequest.input.Type

/** The PARRequestStore namespace, as a service so tests can route to their own shards. */
export class PARStores extends Context.Service<PARStores, {
  /** The PARRequestStore shard with this name. */
  readonly requestStore: (shard: string) => DurableObjectStub<PARRequestStore>
}>()("@authrim/tokens/PARStores") {
  /** The live namespace of a worker env. */
  static fromEnv(env: ServiceEnv): PARStores["Service"] {
    return PARStores.of({ requestStore: (shard) => env.PAR_REQUESTS.get(env.PAR_REQUESTS.idFromName(shard)) })
  }
}

/**
 * The lifetime applied (seconds): the requested one clamped to 1…600
 * (RFC 9126 §2.2 wants it short; 600 s is this provider's cap), else 90 s.
 */
export const parTtlSeconds = (requested: number | undefined): number =>
  requested === undefined || !Number.isFinite(requested)
    ? PAR_DEFAULT_TTL_SECONDS
    : Math.min(PAR_MAX_TTL_SECONDS, Math.max(1, Math.floor(requested)))

const invalidRequestUri = (description: string) => new OAuthError({ code: "invalid_request_uri", description })

const decodeParameters = Schema.decodeUnknownEffect(Schema.fromJsonString(PushedParameters))

/** Stores a pushed request in a random shard; the request_uri names the shard. */
export const pushAuthorizationRequest = Effect.fnUntraced(function*(input: PushInput): Effect.fn.Return<{ requestUri: string; expiresIn: number }, OAuthError | Unavailable, PARStores> {
  const stores = yield* PARStores
  const now = yield* Clock.currentTimeMillis
  const expiresIn = parTtlSeconds(input.ttlSeconds)
  const { requestUri, shard } = newRequestUri()
  const requestUriHash = yield* sha256Base64url(requestUri)
  yield* callStore("par.push", () => stores.requestStore(shard).push({
    requestUriHash, clientId: input.clientId, parametersJson: JSON.stringify(input.parameters), now, expiresAt: now + expiresIn * 1000
  }))
  return { requestUri, expiresIn }
})

/** Consumes a pushed request of `clientId`; every refusal is `invalid_request_uri`. */
export const consumePushedRequest = Effect.fnUntraced(function*(input: ConsumeInput): Effect.fn.Return<{ parameters: PushedParameters }, OAuthError | Unavailable, PARStores> {
  const shard = parShardOf(input.requestUri)
  if (shard === null) return yield* invalidRequestUri("unknown, expired or already used request_uri")
  const stores = yield* PARStores
  const now = yield* Clock.currentTimeMillis
  const requestUriHash = yield* sha256Base64url(input.requestUri)
  const outcome = yield* callStore("par.consume", async () => stores.requestStore(shard).consume({ requestUriHash, clientId: input.clientId, now }))
  if (outcome._tag === "rejected") return yield* invalidRequestUri(outcome.reason)
  // What was stored was encoded from the same schema; a row that no longer decodes is a defect.
  const parameters = yield* decodeParameters(outcome.parametersJson).pipe(Effect.orDie)
  return { parameters }
})
