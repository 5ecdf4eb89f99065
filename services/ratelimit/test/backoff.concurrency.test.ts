import { describe, expect, it } from "vitest"
import { backoff } from "./ratelimit_harness.ts"

const policy = { freeFailures: 3, baseSeconds: 1, maxSeconds: 900, forgetSeconds: 86_400 } as const

describe("RateLimitForEdge.backoff — exact under concurrency (issue 9 §4)", () => {
  it("40 failures racing each other are counted exactly 40 times: every count 1 … 40 is seen once", async () => {
    const key = `login-backoff:account:race-${crypto.randomUUID()}`
    const decisions = await Promise.all(Array.from({ length: 40 }, () => backoff({ key, step: "fail", ...policy })))
    expect(decisions.map((d) => d.failures).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(await backoff({ key, step: "peek", ...policy })).toMatchObject({ failures: 40, allowed: false, retryAfter: 900 })
  })

  it("20 peeks racing 20 failures change nothing: exactly 20 counted", async () => {
    const key = `login-backoff:account:mixed-${crypto.randomUUID()}`
    const calls = Array.from({ length: 40 }, (_, i) => backoff({ key, step: i % 2 === 0 ? "fail" : "peek", ...policy }))
    await Promise.all(calls)
    expect(await backoff({ key, step: "peek", ...policy })).toMatchObject({ failures: 20 })
  })
})
