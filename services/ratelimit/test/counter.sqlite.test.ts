import { evictDurableObject, runInDurableObject } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { check, shardOf } from "./ratelimit_harness.ts"

describe("RateLimiterCounter — durable counts (DESIGN §2: survives restart and eviction)", () => {
  it("keeps counting the same window after the shard is evicted", async () => {
    const key = "token:ip:198.51.100.7"
    const input = { key, limit: 3, windowSeconds: 3600 }
    const first = await check(input)
    await check(input)
    await check(input)

    const stub = await shardOf(key)
    await evictDurableObject(stub)

    expect(await check(input)).toMatchObject({ allowed: false, current: 4, resetAt: first.resetAt })
    // The cleanup alarm armed before the eviction is still pending (nothing re-armed it later).
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeLessThanOrEqual(first.resetAt)
  })
})
