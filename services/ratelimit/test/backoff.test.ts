import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import { exports } from "cloudflare:workers"
import { makeClient, RateLimitContract, RpcFailure, toWireError } from "@authrim/contracts"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { backoff, driveShardWith, ManualClock, shardOf, storedBackoffs } from "./ratelimit_harness.ts"

/** 2 free failures, then 1 s doubling to a 15-minute cap; forgotten a day after the last failure. */
const policy = { freeFailures: 2, baseSeconds: 1, maxSeconds: 900, forgetSeconds: 86_400 } as const

describe("RateLimitForEdge.backoff — progressive delay per key, never a lockout (issue 9 §4)", () => {
  it("free failures cost nothing; then 1 s, 2 s, 4 s … capped at 15 minutes; an attempt is admitted once the delay has passed", async () => {
    const key = "login-backoff:account:progression"
    const clock = new ManualClock()
    await driveShardWith(key, clock)
    const fail = () => backoff({ key, step: "fail", ...policy })
    const peek = () => backoff({ key, step: "peek", ...policy })
    expect(await fail()).toEqual({ allowed: true, failures: 1, notBefore: clock.now, retryAfter: 0 })
    expect(await fail()).toEqual({ allowed: true, failures: 2, notBefore: clock.now, retryAfter: 0 })
    const delays = []
    for (let n = 3; n <= 16; n++) {
      const decision = await fail()
      expect(decision.failures).toBe(n)
      delays.push(decision.retryAfter)
      expect(await peek()).toEqual(decision) // a peek reports the same and counts nothing
      clock.advance(decision.retryAfter * 1000) // waits it out: the next attempt is admitted
      expect(await peek()).toMatchObject({ allowed: true, failures: n, retryAfter: 0 })
    }
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900])
  })

  it("refuses with Retry-After before notBefore, however many failures there were: the owner is slowed, never locked out", async () => {
    const key = "login-backoff:account:no-lockout"
    const clock = new ManualClock()
    await driveShardWith(key, clock)
    let last = await backoff({ key, step: "fail", ...policy })
    for (let i = 0; i < 200; i++) last = await backoff({ key, step: "fail", ...policy })
    expect(last).toMatchObject({ allowed: false, failures: 201, retryAfter: 900 })
    clock.advance(600_000)
    expect(await backoff({ key, step: "peek", ...policy })).toMatchObject({ allowed: false, retryAfter: 300 })
    clock.advance(300_000)
    expect(await backoff({ key, step: "peek", ...policy })).toMatchObject({ allowed: true, retryAfter: 0 })
  })

  it("clear ends the run of failures (a success): the next failure is free again", async () => {
    const key = "login-backoff:account:clear"
    for (let i = 0; i < 5; i++) await backoff({ key, step: "fail", ...policy })
    expect(await backoff({ key, step: "clear", ...policy })).toEqual({ allowed: true, failures: 0, notBefore: 0, retryAfter: 0 })
    expect(await backoff({ key, step: "peek", ...policy })).toMatchObject({ allowed: true, failures: 0 })
    expect(await backoff({ key, step: "fail", ...policy })).toMatchObject({ allowed: true, failures: 1 })
  })

  it("a peek at an unseen key stores nothing; the alarm forgets a record forgetSeconds after its delay", async () => {
    const key = "login-backoff:account:forget"
    const stub = await shardOf(key)
    const clock = new ManualClock()
    await driveShardWith(key, clock)
    const before = await storedBackoffs(key)
    expect(await backoff({ key, step: "peek", ...policy })).toEqual({ allowed: true, failures: 0, notBefore: 0, retryAfter: 0 })
    expect(await storedBackoffs(key)).toBe(before)
    for (let i = 0; i < 3; i++) await backoff({ key, step: "fail", ...policy })
    expect(await storedBackoffs(key)).toBe(before + 1)
    const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm())
    expect(alarm).toBeLessThanOrEqual(clock.now + 1000 + 86_400_000)
    clock.advance(1000 + 86_400_000)
    // Forgotten even before the sweep: a read past expiry sees no failures.
    expect(await backoff({ key, step: "peek", ...policy })).toMatchObject({ failures: 0 })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await storedBackoffs(key)).toBe(before)
  })

  it.each([
    { key: "", step: "fail", ...policy },
    { key: "k", step: "explode", ...policy },
    { key: "k", step: "fail", ...policy, baseSeconds: 0 },
    { key: "k", step: "fail", ...policy, freeFailures: -1 },
    { key: "k", step: "fail", ...policy, maxSeconds: 1.5 }
  ])("a caller's client refuses to send nonsensical input %j (RpcFailure, 503 at the edge, never a 500)", async (input) => {
    const client = makeClient("ratelimit", RateLimitContract, exports.RateLimitForEdge)
    const error = await Effect.runPromise(Effect.flip(client.backoff(input as never)))
    expect(error).toBeInstanceOf(RpcFailure)
    expect(toWireError(error).status).toBe(503)
  })
})
