/**
 * Routes checks to the `RateLimiterCounter` shards that own their keys (by `shardKey` when the
 * caller names one, else by the key). Not retried: a check is an increment, and a retry after a
 * lost answer would count the request twice; the caller decides how to degrade.
 */
import { Effect } from "effect"
import { Unavailable } from "@authrim/contracts/errors"
import { countCall } from "@authrim/contracts/call_counters"
import type {
  BackoffCheck,
  BackoffDecision,
  RateLimitBatch,
  RateLimitBatchDecision,
  RateLimitCheck,
  RateLimitDecision
} from "@authrim/contracts/ratelimit"
import type { RateLimiterCounter } from "./rate_limiter_counter.ts"
import { rateLimitShardFor, rateLimitShardName } from "./shard.ts"

type Counters = DurableObjectNamespace<RateLimiterCounter>

/** The Durable Object stub of shard `shard`. */
export const counterShard = (counters: Counters, shard: number) => counters.get(counters.idFromName(rateLimitShardName(shard)))

/** The shard of a check: its routing label when it has one, else its key. */
export const shardOfCheck = (check: { readonly key: string; readonly shardKey?: string | undefined }): Effect.Effect<number> =>
  rateLimitShardFor(check.shardKey ?? check.key)

/** Calls shard `shard`; a failing shard becomes `Unavailable`. */
const callShard = <A>(shard: number, call: () => Promise<A>): Effect.Effect<A, Unavailable> =>
  countCall("durableObjectCalls").pipe(Effect.andThen(Effect.tryPromise({
    try: call,
    catch: (cause) =>
      new Unavailable({
        service: "ratelimit",
        reason: `RateLimiterCounter shard ${shard}: ${cause instanceof Error ? cause.message : String(cause)}`
      })
  })))

/** Calls the shard that owns `check` (its routing label, else its key); a failing shard becomes `Unavailable`. */
const onOwnShard = <A>(
  counters: Counters,
  check: { readonly key: string; readonly shardKey?: string | undefined },
  call: (stub: ReturnType<typeof counterShard>) => Promise<A>
): Effect.Effect<A, Unavailable> =>
  Effect.flatMap(shardOfCheck(check), (shard) => callShard(shard, () => call(counterShard(counters, shard))))

/** Counts one request for `check.key`. */
export const countInShard = (counters: Counters, check: RateLimitCheck): Effect.Effect<RateLimitDecision, Unavailable> =>
  onOwnShard(counters, check, (stub) => stub.check(check))

/** Steps the backoff record of `check.key` in its shard (same routing as the windows). */
export const backoffInShard = (counters: Counters, check: BackoffCheck): Effect.Effect<BackoffDecision, Unavailable> =>
  onOwnShard(counters, check, (stub) => stub.backoff(check))

/**
 * Every check and step of `batch`, one Durable Object request per distinct shard (in parallel),
 * the decisions put back in the order of the input. Any failing shard fails the whole batch.
 */
export const checkManyInShards = Effect.fnUntraced(function*(
  counters: Counters,
  batch: RateLimitBatch
): Effect.fn.Return<RateLimitBatchDecision, Unavailable> {
  const windowShards = yield* Effect.forEach(batch.windows, shardOfCheck)
  const backoffShards = yield* Effect.forEach(batch.backoffs, shardOfCheck)
  const shards = [...new Set([...windowShards, ...backoffShards])]
  const answers = yield* Effect.forEach(shards, (shard) => {
    const part = {
      windows: batch.windows.filter((_, i) => windowShards[i] === shard),
      backoffs: batch.backoffs.filter((_, i) => backoffShards[i] === shard)
    }
    return callShard(shard, () => counterShard(counters, shard).checkMany(part))
  }, { concurrency: "unbounded" })
  const byShard = new Map(shards.map((shard, i) => [shard, { windows: [...answers[i]!.windows], backoffs: [...answers[i]!.backoffs] }]))
  return {
    windows: windowShards.map((shard) => byShard.get(shard)!.windows.shift()!),
    backoffs: backoffShards.map((shard) => byShard.get(shard)!.backoffs.shift()!)
  }
})
