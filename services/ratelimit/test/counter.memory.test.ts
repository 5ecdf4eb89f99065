/**
 * Issue 10: counts live in the shard's memory and only windows worth keeping are written
 * (src/persistence_rule.ts). Rows are measured through the object's cost-meter entry
 * (`meteredCall`), the way the service calls it; a restart is `ctx.abort()` (`restartShard`), which
 * drops the instance, its memory and its timers as a crash or a deploy does.
 */
import type { MeteredAnswer } from "@authrim/cost-meter"
import type { RateLimitCheck, RateLimitDecision } from "@authrim/contracts/ratelimit"
import { describe, expect, it } from "vitest"
import { check, restartShard, shardOf, storedKeys } from "./ratelimit_harness.ts"

/** One check through `meteredCall`: its decision and the SQLite rows it wrote. */
const metered = async (input: RateLimitCheck): Promise<{ decision: RateLimitDecision; rows: number }> => {
  // Stub RPC types cannot express `unknown` values: read the answer as the object returns it.
  const answer = (await (await shardOf(input.key)).meteredCall("check", [input])) as unknown as MeteredAnswer
  return { decision: answer.value as RateLimitDecision, rows: answer.meter?.doRowsWritten ?? 0 }
}

const freshKey = (label: string) => `memory:${label}:${crypto.randomUUID()}`

describe("RateLimiterCounter — counts in memory, stores what a restart must not lose (issue 10)", () => {
  it("a key far from its limit writes no row and stores nothing", async () => {
    const key = freshKey("far")
    const before = await storedKeys(key)
    for (let n = 1; n <= 4; n++) {
      const { decision, rows } = await metered({ key, limit: 10, windowSeconds: 60 })
      expect(decision).toMatchObject({ allowed: true, current: n })
      expect(rows).toBe(0)
    }
    expect(await storedKeys(key)).toBe(before)
  })

  it("from half its limit on every count is stored, the first denial too; later denials write nothing", async () => {
    const key = freshKey("near")
    const rows = []
    for (let n = 1; n <= 7; n++) rows.push((await metered({ key, limit: 4, windowSeconds: 60 })).rows)
    // 1: far (0) · 2: half the limit, the row opens (row + reset_at index entry: 2) · 3, 4: 1 each ·
    // 5: the first denial (1) · 6, 7: past a stored denial (0).
    expect(rows).toEqual([0, 2, 1, 1, 1, 0, 0])
  })

  it("a window longer than a minute is stored from its first count (failure windows, e-mail, second factor)", async () => {
    const key = freshKey("long")
    expect((await metered({ key, limit: 100, windowSeconds: 900 })).rows).toBe(2)
    expect((await metered({ key, limit: 100, windowSeconds: 900 })).rows).toBe(1)
  })

  it("a key near its limit survives the object being restarted: the count goes on, the limit holds", async () => {
    const key = freshKey("survives")
    const input = { key, limit: 10, windowSeconds: 60 }
    const first = await check(input)
    for (let n = 2; n <= 6; n++) await check(input)
    await restartShard(key)
    expect(await check(input)).toMatchObject({ allowed: true, current: 7, resetAt: first.resetAt })
    for (let n = 8; n <= 10; n++) expect(await check(input)).toMatchObject({ allowed: true, current: n })
    expect(await check(input)).toMatchObject({ allowed: false, current: 11 })
  })

  it("a denial survives a restart: the key stays refused until its window ends", async () => {
    const key = freshKey("denied")
    const input = { key, limit: 3, windowSeconds: 60 }
    for (let n = 1; n <= 6; n++) await check(input)
    await restartShard(key)
    // The stored count is the first denial (4): later denials were not written, the decision is the same.
    expect(await check(input)).toMatchObject({ allowed: false, current: 5 })
  })

  it("the documented price: a restart forgets counts below half the limit (at most one more half-window)", async () => {
    const key = freshKey("forgotten")
    const input = { key, limit: 10, windowSeconds: 60 }
    for (let n = 1; n <= 4; n++) await check(input)
    await restartShard(key)
    expect(await check(input)).toMatchObject({ allowed: true, current: 1 })
  })

  it("50 racing checks against a limit of 10, then a restart: exactly 10 admitted, and the key is still refused after", async () => {
    const key = freshKey("race-evict")
    const input = { key, limit: 10, windowSeconds: 60 }
    const decisions = await Promise.all(Array.from({ length: 50 }, () => check(input)))
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10)
    expect(decisions.map((d) => d.current).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    await restartShard(key)
    expect(await check(input)).toMatchObject({ allowed: false })
  })
})
