import { describe, expect, it } from "vitest"
import { check, driveShardWith, ManualClock, neighbourOf } from "./ratelimit_harness.ts"

describe("RateLimiterCounter — fixed windows (DESIGN §2)", () => {
  it("denies past the limit with resetAt/retryAfter, then admits again once the window ends", async () => {
    const key = "token:ip:192.0.2.1"
    const clock = new ManualClock()
    const t0 = clock.now
    await driveShardWith(key, clock)
    const input = { key, limit: 3, windowSeconds: 60 }

    for (let n = 1; n <= 3; n++) {
      expect(await check(input)).toEqual({ allowed: true, current: n, limit: 3, resetAt: t0 + 60_000, retryAfter: 0 })
    }
    expect(await check(input)).toEqual({ allowed: false, current: 4, limit: 3, resetAt: t0 + 60_000, retryAfter: 60 })

    clock.advance(30_500) // 29.5 s left → rounded up to whole seconds
    expect(await check(input)).toMatchObject({ allowed: false, current: 5, retryAfter: 30 })

    clock.advance(29_499) // 1 ms left → still at least 1 s
    expect(await check(input)).toMatchObject({ allowed: false, current: 6, retryAfter: 1 })

    clock.advance(1) // exactly resetAt: a new window opens at this request
    expect(await check(input)).toEqual({ allowed: true, current: 1, limit: 3, resetAt: t0 + 120_000, retryAfter: 0 })
  })

  it("anchors the window at its first request: later requests do not extend it", async () => {
    const key = "authorize:ip:192.0.2.2"
    const clock = new ManualClock()
    const t0 = clock.now
    await driveShardWith(key, clock)
    const input = { key, limit: 10, windowSeconds: 10 }

    expect((await check(input)).resetAt).toBe(t0 + 10_000)
    clock.advance(9_000)
    expect(await check(input)).toMatchObject({ current: 2, resetAt: t0 + 10_000 })
    clock.advance(2_000) // window ended at t0 + 10 s, this request opens the next one
    expect(await check(input)).toMatchObject({ current: 1, resetAt: t0 + 21_000 })
  })

  it("counts different keys independently, also when they share a shard", async () => {
    const exhausted = "token:ip:192.0.2.3"
    const sameShard = await neighbourOf(exhausted)
    const elsewhere = "token:ip:192.0.2.4"
    const input = (key: string) => ({ key, limit: 2, windowSeconds: 600 })

    for (let i = 0; i < 5; i++) await check(input(exhausted))
    expect((await check(input(exhausted))).allowed).toBe(false)

    expect(await check(input(sameShard))).toMatchObject({ allowed: true, current: 1 })
    expect(await check(input(elsewhere))).toMatchObject({ allowed: true, current: 1 })
  })

  it("reports the caller's limit on every decision", async () => {
    const key = "token:client:rp-limit-echo"
    expect(await check({ key, limit: 7, windowSeconds: 60 })).toMatchObject({ limit: 7, current: 1, allowed: true })
    // A caller that lowers the limit mid-window is judged by the new limit against the running count.
    expect(await check({ key, limit: 1, windowSeconds: 60 })).toMatchObject({ limit: 1, current: 2, allowed: false })
  })
})
