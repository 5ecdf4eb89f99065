/**
 * Routes one check to the `RateLimiterCounter` shard that owns its key.
 * Not retried: a check is an increment, and a retry after a lost answer
 * would count the request twice; the caller decides how to degrade.
 */
import { Effect } from "effect"
import { Unavailable } from "@authrim/contracts/errors"
import type { BackoffCheck, BackoffDecision, RateLimitCheck, RateLimitDecision } from "@authrim/contracts/ratelimit"
import type { RateLimiterCounter } from "./rate_limiter_counter.ts"
import { rateLimitShardFor, rateLimitShardName } from "./shard.ts"

/** The Durable Object stub of shard `shard`. */
export const counterShard = (counters: DurableObjectNamespace<RateLimiterCounter>, shard: number) =>
  counters.get(counters.idFromName(rateLimitShardName(shard)))

/** Counts one request for `check.key`; a failing shard becomes `Unavailable`. */
export const countInShard = Effect.fn("countInShard")(function*(
  counters: DurableObjectNamespace<RateLimiterCounter>,
  check: RateLimitCheck
): Effect.fn.Return<RateLimitDecision, Unavailable> {
  // A digest of a string cannot fail; a rejection here would be a defect, not a domain outcome.
  const shard = yield* Effect.promise(() => rateLimitShardFor(check.key))
  return yield* Effect.tryPromise({
    try: () => counterShard(counters, shard).check(check),
    catch: (cause) =>
      new Unavailable({
        service: "ratelimit",
        reason: `RateLimiterCounter shard ${shard}: ${cause instanceof Error ? cause.message : String(cause)}`
      })
  })
})

/** Steps the backoff record of `check.key` in its shard (same routing as the windows); a failing shard becomes `Unavailable`. */
export const backoffInShard = Effect.fn("backoffInShard")(function*(
  counters: DurableObjectNamespace<RateLimiterCounter>,
  check: BackoffCheck
): Effect.fn.Return<BackoffDecision, Unavailable> {
  const shard = yield* Effect.promise(() => rateLimitShardFor(check.key))
  return yield* Effect.tryPromise({
    try: () => counterShard(counters, shard).backoff(check),
    catch: (cause) =>
      new Unavailable({
        service: "ratelimit",
        reason: `RateLimiterCounter shard ${shard}: ${cause instanceof Error ? cause.message : String(cause)}`
      })
  })
})
