import { runInDurableObject } from "cloudflare:test"
import { env, exports } from "cloudflare:workers"
import { makeClient, RateLimitContract, RpcFailure } from "@authrim/contracts"
import type { RateLimitBatch, RateLimitBatchDecision } from "@authrim/contracts/ratelimit"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { counterShard } from "../src/count_in_shard.ts"
import { check, rateLimitShardFor } from "./ratelimit_harness.ts"

const checkMany = async (input: RateLimitBatch): Promise<RateLimitBatchDecision> => {
  const result = await exports.RateLimitForEdge.checkMany(input)
  if (result._tag !== "Success") throw new Error(`expected Success, got ${JSON.stringify(result)}`)
  return result.value
}

const backoffPolicy = { freeFailures: 0, baseSeconds: 60, maxSeconds: 60, forgetSeconds: 600 } as const

describe("RateLimitForEdge.checkMany — the checks of one request in one call (issue 10)", () => {
  it("keys routed by one shardKey live in that label's shard and are answered in the order sent", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`
    const route = `ip:${ip}`
    const windows = [
      { key: `authorize:ip:${ip}`, limit: 5, windowSeconds: 60, shardKey: route },
      { key: `login-failures:ip:${ip}`, limit: 2, windowSeconds: 300, cost: 0, shardKey: route },
      { key: `token:ip:${ip}`, limit: 1, windowSeconds: 60, shardKey: route }
    ]
    const first = await checkMany({ windows, backoffs: [] })
    expect(first.windows.map((d) => [d.allowed, d.current])).toEqual([[true, 1], [true, 0], [true, 1]])
    const second = await checkMany({ windows, backoffs: [] })
    expect(second.windows.map((d) => [d.allowed, d.current])).toEqual([[true, 2], [true, 0], [false, 2]])
    // All three were counted in the shard of the label, none in the shard of its own key.
    const labelShard = counterShard(env.RATE_LIMITER_COUNTER, await rateLimitShardFor(route))
    const held = await runInDurableObject(labelShard, (instance) =>
      instance.windows.count({ key: `authorize:ip:${ip}`, limit: 5, windowSeconds: 60, cost: 0 }, Date.now()).decision.current
    )
    expect(held).toBe(2)
  })

  it("window checks and backoff steps of several shards come back in input order", async () => {
    const id = crypto.randomUUID()
    const keys = Array.from({ length: 6 }, (_, i) => `many:${id}:${i}`) // six keys: several shards
    const answer = await checkMany({
      windows: keys.map((key, i) => ({ key, limit: i + 1, windowSeconds: 60, cost: i + 1 })),
      backoffs: [
        { key: `many-backoff:${id}:a`, step: "fail", ...backoffPolicy },
        { key: `many-backoff:${id}:b`, step: "peek", ...backoffPolicy }
      ]
    })
    expect(answer.windows.map((d) => [d.current, d.limit, d.allowed])).toEqual(keys.map((_, i) => [i + 1, i + 1, true]))
    expect(answer.backoffs.map((d) => [d.failures, d.allowed])).toEqual([[1, false], [0, true]])
    // The same keys through the one-key method see the counts of the batch (same routing: the key itself).
    expect(await check({ key: keys[2]!, limit: 3, windowSeconds: 60 })).toMatchObject({ current: 4, allowed: false })
  })

  it("30 racing batches against a limit of 10 on a shared key: exactly 10 admitted, every count seen once", async () => {
    const route = `ip:race-${crypto.randomUUID()}`
    const key = `race:${route}`
    const batches = await Promise.all(Array.from({ length: 30 }, () =>
      checkMany({ windows: [{ key, limit: 10, windowSeconds: 60, shardKey: route }, { key: `${key}:peek`, limit: 1, windowSeconds: 60, cost: 0, shardKey: route }], backoffs: [] })
    ))
    const decisions = batches.map((b) => b.windows[0]!)
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10)
    expect(decisions.map((d) => d.current).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
  })

  it("a caller's client refuses a batch of more than 16 checks or with an invalid check (never counted)", async () => {
    const client = makeClient("ratelimit", RateLimitContract, exports.RateLimitForEdge)
    const tooMany = { windows: Array.from({ length: 17 }, (_, i) => ({ key: `big:${i}`, limit: 1, windowSeconds: 60 })), backoffs: [] }
    expect(await Effect.runPromise(Effect.flip(client.checkMany(tooMany)))).toBeInstanceOf(RpcFailure)
    const invalid = { windows: [{ key: "ok:key", limit: 1, windowSeconds: 60 }, { key: "", limit: 1, windowSeconds: 60 }], backoffs: [] }
    expect(await Effect.runPromise(Effect.flip(client.checkMany(invalid)))).toBeInstanceOf(RpcFailure)
    expect(await check({ key: "ok:key", limit: 10, windowSeconds: 60 })).toMatchObject({ current: 1 })
  })
})
