import { env } from "cloudflare:test"
import { Effect, Exit, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { isTransientD1Message, tryD1 } from "../src/d1-retry.ts"

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database
    }
  }
}

/** Runs `tryD1` under the test clock, advancing time until it settles; returns exit and elapsed virtual ms. */
const runWithClock = <A>(run: () => Promise<A>) =>
  Effect.runPromise(
    Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(Effect.exit(tryD1("test", "op", run)))
      let elapsed = 0
      while (fiber.pollUnsafe() === undefined && elapsed < 5_000) {
        yield* TestClock.adjust("10 millis")
        elapsed += 10
      }
      const exit = yield* Fiber.join(fiber)
      return { exit, elapsed }
    }).pipe(Effect.provide(TestClock.layer()))
  )

describe("D1 retry policy (DESIGN §1)", () => {
  it("retries transient failures and then succeeds against real D1", async () => {
    await env.DB.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
    let attempts = 0
    const { exit, elapsed } = await runWithClock(async () => {
      attempts += 1
      if (attempts <= 2) throw new Error("D1_ERROR: Network connection lost.")
      return env.DB.prepare("INSERT OR REPLACE INTO t (id, v) VALUES (1, 'ok') RETURNING v").first<{ v: string }>()
    })
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(attempts).toBe(3)
    // two waits: ~100 ms and ~200 ms, each jittered (80–120 %)
    expect(elapsed).toBeGreaterThanOrEqual(240)
    expect(elapsed).toBeLessThanOrEqual(400)
    const row = await env.DB.prepare("SELECT v FROM t WHERE id = 1").first<{ v: string }>()
    expect(row?.v).toBe("ok")
  })

  it("gives up after 3 retries (4 attempts) with Unavailable", async () => {
    let attempts = 0
    const { exit, elapsed } = await runWithClock(async () => {
      attempts += 1
      throw new Error("D1_ERROR: D1 DB is overloaded. Too many requests queued.")
    })
    expect(attempts).toBe(4)
    expect(elapsed).toBeGreaterThanOrEqual(560) // 100 + 200 + 400 at 80 % jitter
    expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("Unavailable")
  })

  it("fails a non-transient error at once, without retrying (real SQL error)", async () => {
    let attempts = 0
    const { exit, elapsed } = await runWithClock(() => {
      attempts += 1
      return env.DB.prepare("SELECT * FROM no_such_table").all()
    })
    expect(attempts).toBe(1)
    expect(elapsed).toBeLessThanOrEqual(10)
    expect(Exit.isFailure(exit)).toBe(true)
  })

  it("classifies messages", () => {
    expect(isTransientD1Message("D1_ERROR: Network connection lost.")).toBe(true)
    expect(isTransientD1Message("D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT")).toBe(false)
  })
})
