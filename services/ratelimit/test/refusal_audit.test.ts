/**
 * Sampled `rate_limit.refused` (issue 11 §2): the first refusal of a key in a
 * window always, later ones 1 in 100 (by their position over the limit, so
 * concurrent refusals record exactly the right ones), peeks and backoff
 * refusals 1 in 100 at random except a run's first delay; one message per
 * call; no extra Durable Object work. The trail is the test one that keeps
 * what it is given.
 */
import { AuditTrail } from "@authrim/audit-trail"
import { collectingAuditTrail } from "@authrim/audit-trail/testing"
import { env } from "cloudflare:workers"
import { Effect, Layer } from "effect"
import { beforeEach, describe, expect, it } from "vitest"
import { CounterNamespace } from "../src/counter_namespace.ts"
import { backoffSampling, checkBatch, checkWindow, stepBackoff, windowSampling } from "../src/refusal_audit.ts"

const audit = collectingAuditTrail()
const layer = Layer.merge(Layer.succeed(CounterNamespace)(env.RATE_LIMITER_COUNTER), audit.layer)
const run = <A, E>(effect: Effect.Effect<A, E, CounterNamespace | AuditTrail>) => Effect.runPromise(Effect.provide(effect, layer))
const uniqueKey = (label: string) => `audit-${label}:${crypto.randomUUID()}`

beforeEach(() => audit.clear())

const decision = (current: number, limit: number) => ({ allowed: current <= limit, current, limit, resetAt: 0, retryAfter: current <= limit ? 0 : 5 })
const window = (cost?: number) => ({ key: "k", limit: 10, windowSeconds: 60, ...(cost === undefined ? {} : { cost }) })
const never = () => 0.99
const always = () => 0

describe("sampling rules (pure)", () => {
  it("counted checks: the 1st, 101st, 201st… unit over the limit, whatever the cost", () => {
    expect(windowSampling(window(), decision(10, 10), always)).toBeNull() // allowed
    expect(windowSampling(window(), decision(11, 10), never)).toBe("first")
    expect(windowSampling(window(), decision(12, 10), always)).toBeNull()
    expect(windowSampling(window(), decision(110, 10), always)).toBeNull()
    expect(windowSampling(window(), decision(111, 10), never)).toBe("every_100th")
    expect(windowSampling(window(), decision(211, 10), never)).toBe("every_100th")
    expect(windowSampling(window(5), decision(13, 10), never)).toBe("first") // units 9…13 cross the limit
    expect(windowSampling(window(5), decision(113, 10), never)).toBe("every_100th") // units 99…103 include the 101st
    expect(windowSampling(window(5), decision(120, 10), never)).toBeNull()
  })

  it("peeks count nothing: 1 in 100 at random; backoff: a run's first delay always, else 1 in 100", () => {
    const fullPeek = { ...decision(10, 10), allowed: false } // a peek answers whether ONE more would be admitted
    expect(windowSampling(window(0), fullPeek, () => 0.009)).toBe("random_1_in_100")
    expect(windowSampling(window(0), fullPeek, () => 0.01)).toBeNull()
    const fail = { key: "b", step: "fail" as const, freeFailures: 2, baseSeconds: 1, maxSeconds: 60, forgetSeconds: 600 }
    const refusedAfter = (failures: number) => ({ allowed: false, failures, notBefore: 1, retryAfter: 1 })
    expect(backoffSampling(fail, refusedAfter(3), never)).toBe("first")
    expect(backoffSampling(fail, refusedAfter(4), never)).toBeNull()
    expect(backoffSampling({ ...fail, step: "peek" }, refusedAfter(3), () => 0.001)).toBe("random_1_in_100")
    expect(backoffSampling(fail, { allowed: true, failures: 1, notBefore: 0, retryAfter: 0 }, always)).toBeNull()
  })
})

describe("rate_limit.refused through the service's domain functions", () => {
  it("250 concurrent checks of a limit-1 key: 249 refusals, exactly 3 recorded (1st, 101st, 201st over), one message each", async () => {
    const key = uniqueKey("burst")
    const decisions = await Promise.all(Array.from({ length: 250 }, () => run(checkWindow({ key, limit: 1, windowSeconds: 600 }))))
    expect(decisions.filter((d) => !d.allowed)).toHaveLength(249)
    expect(audit.batches).toHaveLength(3)
    expect(audit.events().map((e) => [e.type, e.outcome, e.subject?.id, e.details["sampling"], e.details["over_limit"]]).sort()).toEqual([
      ["rate_limit.refused", "failure", key, "every_100th", 101],
      ["rate_limit.refused", "failure", key, "every_100th", 201],
      ["rate_limit.refused", "failure", key, "first", 1]
    ])
    expect(audit.events()[0]!.actor).toEqual({ kind: "system", id: "authrim-ratelimit" })
  })

  it("a backoff run's first delay is recorded", async () => {
    const key = uniqueKey("backoff")
    const policy = { key, freeFailures: 1, baseSeconds: 60, maxSeconds: 60, forgetSeconds: 600 }
    await run(stepBackoff({ ...policy, step: "fail" }))
    expect(audit.batches).toEqual([])
    await run(stepBackoff({ ...policy, step: "fail" }))
    expect(audit.events()).toEqual([expect.objectContaining({
      type: "rate_limit.refused", subject: { kind: "rate_limit_key", id: key }, details: expect.objectContaining({ kind: "backoff", sampling: "first", failures: 2 })
    })])
  })

  it("checkMany: all sampled refusals of one call in one message; none refused, no message", async () => {
    const a = uniqueKey("a")
    const b = uniqueKey("b")
    const windows = [{ key: a, limit: 1, windowSeconds: 600 }, { key: b, limit: 1, windowSeconds: 600 }]
    await run(checkBatch({ windows, backoffs: [] }))
    expect(audit.batches).toEqual([])
    await run(checkBatch({ windows, backoffs: [] }))
    expect(audit.batches).toHaveLength(1)
    expect(audit.batches[0]!.map((e) => e.subject?.id).sort()).toEqual([a, b].sort())
  })
})
