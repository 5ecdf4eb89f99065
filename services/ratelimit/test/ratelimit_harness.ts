/** Test harness: the entrypoint as a caller sees it, shard stubs, and a controllable clock. */
import { env, exports } from "cloudflare:workers"
import { runInDurableObject } from "cloudflare:test"
import type { BackoffCheck, BackoffDecision, RateLimitCheck, RateLimitDecision } from "@authrim/contracts/ratelimit"
import { counterShard } from "../src/count_in_shard.ts"
import { countKeys } from "../src/counter_table.ts"
import { Effect } from "effect"
import { rateLimitShardFor as shardEffect } from "../src/shard.ts"

/** A clock the test moves by hand. Starts in 2030 so no real alarm ever comes due during a run. */
export class ManualClock {
  constructor(public now = Date.UTC(2030, 0, 1)) {}
  advance(ms: number): void {
    this.now += ms
  }
}

/** The shard (0 … 999) counting `key`, as a promise. */
export const rateLimitShardFor = (key: string): Promise<number> => Effect.runPromise(shardEffect(key))

/** The shard stub counting `key`. */
export const shardOf = async (key: string) => counterShard(env.RATE_LIMITER_COUNTER, await rateLimitShardFor(key))

/** Makes the shard of `key` read its time from `clock` (until it is evicted). */
export const driveShardWith = async (key: string, clock: ManualClock) =>
  runInDurableObject(await shardOf(key), (instance) => {
    instance.now = () => clock.now
  })

/** One `check` through the `RateLimitForEdge` entrypoint; anything but Success fails the test. */
export const check = async (input: RateLimitCheck): Promise<RateLimitDecision> => {
  const result = await exports.RateLimitForEdge.check(input)
  if (result._tag !== "Success") throw new Error(`expected Success, got ${JSON.stringify(result)}`)
  return result.value
}

/** Keys the shard of `key` currently stores (live or not yet swept). */
export const storedKeys = async (key: string) =>
  runInDurableObject(await shardOf(key), (_, state) => countKeys(state.storage.sql))

/**
 * Restarts the shard of `key` the hard way: `ctx.abort()` resets the object as a crash or a
 * deploy does (memory and pending timers gone; the next request constructs a new instance from
 * storage). `evictDurableObject` would wait for the timer a shard keeps while it holds counts
 * only memory has (that timer is what keeps an idle shard from being evicted, issue 10).
 */
export const restartShard = async (key: string): Promise<void> => {
  const stub = await shardOf(key)
  await runInDurableObject(stub, (_, state) => state.abort("test: restart")).catch(() => undefined)
  // The first call after an abort may still meet the old, broken instance: wait for a working one.
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await runInDurableObject(stub, (instance) => instance.windows.size)
      return
    } catch {
      // the reset is under way
    }
  }
}

/** Keys the shard of `key` holds in memory (live or not yet pruned). */
export const memoryKeys = async (key: string) => runInDurableObject(await shardOf(key), (instance) => instance.windows.size)

/** A key other than `key` that routes to the same shard (so "independent" is tested inside one object too). */
export const neighbourOf = async (key: string): Promise<string> => {
  const shard = await rateLimitShardFor(key)
  for (let i = 0; ; i++) {
    const candidate = `${key}:neighbour:${i}`
    if ((await rateLimitShardFor(candidate)) === shard) return candidate
  }
}

/** One `backoff` call through the `RateLimitForEdge` entrypoint; anything but Success fails the test. */
export const backoff = async (input: BackoffCheck): Promise<BackoffDecision> => {
  const result = await exports.RateLimitForEdge.backoff(input)
  if (result._tag !== "Success") throw new Error(`expected Success, got ${JSON.stringify(result)}`)
  return result.value
}

/** Backoff records the shard of `key` currently stores (live or not yet swept). */
export const storedBackoffs = async (key: string) =>
  runInDurableObject(await shardOf(key), (_, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM rate_limit_backoffs").one().n)
