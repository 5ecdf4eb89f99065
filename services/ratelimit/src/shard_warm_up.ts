/**
 * `warmUp` (contracts/src/warm_up.ts) for the RateLimiterCounter shards: one
 * `ping` per shard, {@link WARM_UP_CONCURRENCY} at a time. `ping` (the cost
 * meter's MeteredDurableObject) answers from the object without touching its
 * storage, so a warm-up costs one DO request per shard and writes nothing.
 */
import { WARM_UP_CONCURRENCY, type WarmUpContract } from "@authrim/contracts"
import { Effect } from "effect"
import { CounterNamespace } from "./counter_namespace.ts"
import { RATE_LIMIT_SHARDS, rateLimitShardName } from "./shard.ts"

type Input = typeof WarmUpContract.warmUp.input.Type

/** Every shard, 0 … 999. */
const everyShard = Array.from({ length: RATE_LIMIT_SHARDS }, (_, shard) => shard)

/** Pings the listed shards (every shard when none are listed; numbers beyond the last shard are ignored). */
export const warmUpShards = Effect.fnUntraced(function*(input: Input) {
  const namespace = yield* CounterNamespace
  const shards = (input.shards ?? everyShard).filter((shard) => shard < RATE_LIMIT_SHARDS)
  const answers = yield* Effect.forEach(
    shards,
    (shard) =>
      Effect.tryPromise(() => namespace.get(namespace.idFromName(rateLimitShardName(shard))).ping()).pipe(
        Effect.match({ onFailure: () => false, onSuccess: () => true })
      ),
    { concurrency: WARM_UP_CONCURRENCY }
  )
  const pinged = answers.filter(Boolean).length
  return { pinged, failed: answers.length - pinged }
})
