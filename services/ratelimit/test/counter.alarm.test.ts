import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { MIN_SWEEP_SPACING_MS } from "../src/rate_limiter_counter.ts"
import { check, driveShardWith, ManualClock, memoryKeys, neighbourOf, shardOf, storedKeys } from "./ratelimit_harness.ts"

describe("RateLimiterCounter — alarm cleanup of ended windows", () => {
  it("deletes stored keys whose window ended, keeps live ones, and re-arms for the next end", async () => {
    // Windows past a minute are stored from their first count (persistence_rule.ts).
    const shortKey = "token:ip:203.0.113.70"
    const longKey = await neighbourOf(shortKey)
    const stub = await shardOf(shortKey)
    const clock = new ManualClock()
    const t0 = clock.now
    await driveShardWith(shortKey, clock)

    await check({ key: shortKey, limit: 5, windowSeconds: 120 })
    await check({ key: longKey, limit: 5, windowSeconds: 3600 })
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBe(t0 + 120_000)

    clock.advance(121_000)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await storedKeys(shortKey)).toBe(1) // only the long window is left
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBe(t0 + 3_600_000)

    clock.advance(3_600_000)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await storedKeys(shortKey)).toBe(0)
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeNull()

    // A swept key simply starts a fresh window.
    expect(await check({ key: shortKey, limit: 5, windowSeconds: 120 })).toMatchObject({ current: 1, allowed: true })
  })

  it("a shard that counted 5,000 IPs in memory stores none of them and forgets them once their windows end", async () => {
    const stub = await shardOf("token:ip:0.0.0.0")
    const clock = new ManualClock()
    await driveShardWith("token:ip:0.0.0.0", clock)
    const storedBefore = await storedKeys("token:ip:0.0.0.0")
    // Inside the object: 5,000 distinct IPs counted in one shard (routing is tested elsewhere).
    await runInDurableObject(stub, async (instance) => {
      for (let i = 0; i < 5_000; i++) await instance.check({ key: `token:ip:10.9.${i >> 8}.${i & 255}`, limit: 10, windowSeconds: 60 })
    })
    clock.advance(30_000)
    await check({ key: "token:ip:0.0.0.0", limit: 10, windowSeconds: 60 }) // still live after the sweep
    expect(await storedKeys("token:ip:0.0.0.0")).toBe(storedBefore) // far from their limit: nothing written
    expect(await memoryKeys("token:ip:0.0.0.0")).toBeGreaterThanOrEqual(5_001)

    clock.advance(30_000)
    expect(await runInDurableObject(stub, (instance) => instance.windows.prune(clock.now))).toBeGreaterThanOrEqual(5_000)
    expect(await memoryKeys("token:ip:0.0.0.0")).toBe(1)
  })

  it("shrinks a shard that stored 5,000 windows back to its live ones", async () => {
    const stub = await shardOf("token:ip:0.0.0.1")
    const clock = new ManualClock()
    await driveShardWith("token:ip:0.0.0.1", clock)
    // Limit 1: every key is at its limit from its first count, so every one is stored.
    await runInDurableObject(stub, async (instance) => {
      for (let i = 0; i < 5_000; i++) await instance.check({ key: `token:ip:10.8.${i >> 8}.${i & 255}`, limit: 1, windowSeconds: 60 })
    })
    clock.advance(30_000)
    await check({ key: "token:ip:0.0.0.1", limit: 1, windowSeconds: 60 })
    expect(await storedKeys("token:ip:0.0.0.1")).toBe(5_001)

    clock.advance(30_000)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await storedKeys("token:ip:0.0.0.1")).toBe(1)
  })

  it("batches sweeps: the next alarm is at least MIN_SWEEP_SPACING_MS away", async () => {
    const key = "token:ip:203.0.113.71"
    const later = await neighbourOf(key)
    const stub = await shardOf(key)
    const clock = new ManualClock()
    await driveShardWith(key, clock)

    await check({ key, limit: 1, windowSeconds: 1 })
    clock.advance(500)
    await check({ key: later, limit: 1, windowSeconds: 1 }) // ends 500 ms after the first
    clock.advance(500)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBe(clock.now + MIN_SWEEP_SPACING_MS)
  })
})
