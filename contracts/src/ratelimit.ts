/**
 * Rate-limit service contract (`RateLimitService` entrypoint of `services/ratelimit`).
 * Fixed windows per key, counted exactly in a sharded `RateLimiterCounter`.
 */
import { Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"

/** Outcome of one counted request. Times are epoch ms; `retryAfter` is seconds (0 when allowed). */
export const RateLimitDecision = Schema.Struct({
  allowed: Schema.Boolean,
  current: Schema.Number,
  limit: Schema.Number,
  resetAt: Schema.Number,
  retryAfter: Schema.Number
})
/** Type of {@link RateLimitDecision}. */
export type RateLimitDecision = typeof RateLimitDecision.Type

/** Method schemas of the rate-limit service. */
export const RateLimitContract = {
  /** Counts one request against `key` (e.g. `token:ip:203.0.113.9`) in a fixed window. */
  check: rpcMethod(
    Schema.Struct({ key: Schema.String, limit: Schema.Number, windowSeconds: Schema.Number }),
    RateLimitDecision,
    Unavailable
  )
} as const

/** RPC interface of `RateLimitService`. */
export type RateLimitRpc = RpcInterface<typeof RateLimitContract>
