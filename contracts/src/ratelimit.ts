/**
 * Rate-limit service contract (`RateLimitService` entrypoint of `services/ratelimit`).
 * Fixed windows per key, counted exactly in a sharded `RateLimiterCounter`.
 */
import { Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"

/**
 * Outcome of one counted request. Times are epoch ms; `retryAfter` is whole
 * seconds (≥ 1 when denied, 0 when allowed) — ready for a `Retry-After` header.
 * `current` counts every request in the window, denied ones included, so it
 * can exceed `limit`.
 */
export const RateLimitDecision = Schema.Struct({
  allowed: Schema.Boolean,
  current: Schema.Number,
  limit: Schema.Number,
  resetAt: Schema.Number,
  retryAfter: Schema.Number
})
/** Type of {@link RateLimitDecision}. */
export type RateLimitDecision = typeof RateLimitDecision.Type

/** Longest accepted key (characters); keys are routing labels like `token:ip:<ip>`, not payloads. */
export const RATE_LIMIT_MAX_KEY_LENGTH = 512
/** Longest accepted window: 31 days. Longer "windows" are lockouts, which belong elsewhere. */
export const RATE_LIMIT_MAX_WINDOW_SECONDS = 31 * 24 * 60 * 60
/** Largest accepted `cost` of one check. */
export const RATE_LIMIT_MAX_COST = 1000

/**
 * Input of `check`. The checks make a nonsensical request (empty key, limit or
 * window ≤ 0, fractions, NaN) fail schema decoding: the caller's `makeClient`
 * refuses to send it (`RpcFailure`, rendered as 503 by `toWireError`, never a
 * 500), and the backend's `serve` refuses to run it. Encoded and decoded types
 * are still `string`/`number`, so existing callers compile unchanged.
 */
export const RateLimitCheck = Schema.Struct({
  key: Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(RATE_LIMIT_MAX_KEY_LENGTH)),
  /** Requests admitted per window (integer ≥ 1). */
  limit: Schema.Number.check(Schema.isInt(), Schema.isGreaterThan(0)),
  /** Window length in whole seconds, 1 … {@link RATE_LIMIT_MAX_WINDOW_SECONDS}. */
  windowSeconds: Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: RATE_LIMIT_MAX_WINDOW_SECONDS })),
  /**
   * How much this check counts (integer 0 … {@link RATE_LIMIT_MAX_COST}; absent = 1).
   * `0` reads the window without counting or writing anything ("peek"): then
   * `allowed` says whether ONE more counted request would be admitted
   * (`current + 1 <= limit`), so a caller can refuse before doing work and
   * count only failures afterwards (failed sign-ins). With cost n ≥ 1 the
   * window grows by n and `allowed` is `current <= limit`.
   */
  cost: Schema.optional(Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: RATE_LIMIT_MAX_COST })))
})
/** Type of {@link RateLimitCheck}. */
export type RateLimitCheck = typeof RateLimitCheck.Type

/** Method schemas of the rate-limit service. */
export const RateLimitContract = {
  /** Counts one request (or `cost` of them; 0 only reads) against `key` (e.g. `token:ip:203.0.113.9`) in a fixed window. */
  check: rpcMethod(
    RateLimitCheck,
    RateLimitDecision,
    Unavailable
  )
} as const

/** RPC interface of `RateLimitService`. */
export type RateLimitRpc = RpcInterface<typeof RateLimitContract>
