import { describe, expect, it } from "vitest"
import { check, driveShardWith, ManualClock, storedKeys } from "./ratelimit_harness.ts"

describe("RateLimitForEdge.check with cost 0 — read the window without counting (failures-only policies)", () => {
  it("a peek at an unseen key admits, counts nothing and stores nothing", async () => {
    const key = "login-failures:account:peek-unseen"
    const clock = new ManualClock()
    await driveShardWith(key, clock)
    const before = await storedKeys(key)
    expect(await check({ key, limit: 3, windowSeconds: 900, cost: 0 })).toEqual({
      allowed: true, current: 0, limit: 3, resetAt: clock.now + 900_000, retryAfter: 0
    })
    expect(await storedKeys(key)).toBe(before)
  })

  it("counting only failures: peeks pass until `limit` failures are counted, then refuse with Retry-After", async () => {
    const key = "login-failures:account:peek-pattern"
    const clock = new ManualClock()
    const t0 = clock.now
    await driveShardWith(key, clock)
    const peek = { key, limit: 3, windowSeconds: 900, cost: 0 }
    for (let failures = 0; failures < 3; failures++) {
      expect(await check(peek)).toMatchObject({ allowed: true, current: failures })
      expect(await check(peek)).toMatchObject({ allowed: true, current: failures }) // peeking twice counts nothing
      expect(await check({ key, limit: 3, windowSeconds: 900 })).toMatchObject({ allowed: true, current: failures + 1 })
    }
    clock.advance(100_000)
    expect(await check(peek)).toEqual({ allowed: false, current: 3, limit: 3, resetAt: t0 + 900_000, retryAfter: 800 })
    clock.advance(800_000) // the window ended: the account is free again, without any write
    expect(await check(peek)).toEqual({ allowed: true, current: 0, limit: 3, resetAt: clock.now + 900_000, retryAfter: 0 })
  })

  it("a cost of n counts n at once", async () => {
    const key = "login-failures:account:cost-n"
    expect(await check({ key, limit: 5, windowSeconds: 60, cost: 4 })).toMatchObject({ allowed: true, current: 4 })
    expect(await check({ key, limit: 5, windowSeconds: 60, cost: 2 })).toMatchObject({ allowed: false, current: 6 })
    expect(await check({ key, limit: 5, windowSeconds: 60, cost: 0 })).toMatchObject({ allowed: false, current: 6 })
  })

  it("25 peeks racing 25 counted checks change nothing: exactly 25 counted, exactly `limit` admitted", async () => {
    const key = "login-failures:ip:peek-race"
    const counted = Array.from({ length: 25 }, () => check({ key, limit: 10, windowSeconds: 60 }))
    const peeks = Array.from({ length: 25 }, () => check({ key, limit: 10, windowSeconds: 60, cost: 0 }))
    const [countedDecisions] = await Promise.all([Promise.all(counted), Promise.all(peeks)])
    expect(countedDecisions.filter((d) => d.allowed)).toHaveLength(10)
    expect(countedDecisions.map((d) => d.current).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
    expect(await check({ key, limit: 10, windowSeconds: 60, cost: 0 })).toMatchObject({ allowed: false, current: 25 })
  })
})
