import { describe, expect, it } from "vitest"
import { check } from "./ratelimit_harness.ts"

describe("RateLimiterCounter — exact under concurrency (DESIGN §2)", () => {
  it("admits exactly L = 10 of N = 50 parallel checks through the entrypoint", async () => {
    const key = "token:ip:203.0.113.50"
    const decisions = await Promise.all(Array.from({ length: 50 }, () => check({ key, limit: 10, windowSeconds: 60 })))

    expect(decisions.filter((d) => d.allowed)).toHaveLength(10)
    // Every request was counted once: the counts seen are exactly 1 … 50.
    expect(decisions.map((d) => d.current).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    // The admitted ones are precisely the first ten counted.
    for (const d of decisions) expect(d.allowed).toBe(d.current <= 10)
    // One window for all of them.
    expect(new Set(decisions.map((d) => d.resetAt)).size).toBe(1)
  })

  it("lets exactly one of 25 racing checks through a limit of 1", async () => {
    const key = "login:email:race@example.com"
    const decisions = await Promise.all(Array.from({ length: 25 }, () => check({ key, limit: 1, windowSeconds: 300 })))
    const winners = decisions.filter((d) => d.allowed)
    expect(winners).toHaveLength(1)
    expect(winners[0]?.current).toBe(1)
    for (const d of decisions.filter((d) => !d.allowed)) expect(d.retryAfter).toBeGreaterThanOrEqual(1)
  })
})
