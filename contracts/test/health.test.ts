/**
 * The deep health handler every backend serves (src/health.ts): each probe's
 * outcome is a check, a failing or hanging probe is `ok: false` with a
 * detail (never a failure of the method), and the service is ok only when
 * every check is.
 */
import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { bindingProbe, checkHealth, d1Probe, durableObjectProbe, HEALTH_MISSING_KEY, healthLayer, kvProbe, r2Probe, type HealthProbe } from "../src/health.ts"

const run = (probes: ReadonlyArray<HealthProbe>) => Effect.runPromise(checkHealth({}).pipe(Effect.provide(healthLayer("authrim-test", probes))))

describe("checkHealth", () => {
  it("every probe answering: ok, one check per probe in order, D1 through a real SELECT 1", async () => {
    const keysRead: Array<string> = []
    const health = await run([
      d1Probe("d1:DB", env.DB),
      kvProbe("kv:CLIENTS", { get: async (key: string) => (keysRead.push(key), null) }),
      durableObjectProbe("do:Store", () => ({ ping: async () => "ok" })),
      bindingProbe("queue:AUDIT_QUEUE", {})
    ])
    expect(health).toMatchObject({ service: "authrim-test", ok: true })
    expect(health.checks.map((c) => [c.name, c.ok, c.detail])).toEqual([
      ["d1:DB", true, undefined],
      ["kv:CLIENTS", true, undefined],
      ["do:Store", true, undefined],
      ["queue:AUDIT_QUEUE", true, undefined]
    ])
    expect(keysRead).toEqual([HEALTH_MISSING_KEY])
  })

  it("a rejecting, throwing or unbound dependency is a failing check with a detail, not an error", async () => {
    const health = await run([
      kvProbe("kv:CLIENTS", { get: async () => { throw new Error("KV GET failed: 503") } }),
      durableObjectProbe("do:Store", () => { throw new Error("no such namespace") }),
      r2Probe("r2:AUDIT_ARCHIVE", undefined),
      bindingProbe("queue:AUDIT_QUEUE", undefined),
      bindingProbe("service:KEYS", {})
    ])
    expect(health.ok).toBe(false)
    expect(health.checks.map((c) => [c.name, c.ok, c.detail])).toEqual([
      ["kv:CLIENTS", false, "KV GET failed: 503"],
      ["do:Store", false, "no such namespace"],
      ["r2:AUDIT_ARCHIVE", false, "not bound"],
      ["queue:AUDIT_QUEUE", false, "not bound"],
      ["service:KEYS", true, undefined]
    ])
  })

  it("a probe that never answers is cut off by the per-probe timeout; the others still report", async () => {
    const health = await run([{ name: "do:Hung", run: () => new Promise(() => {}) }, bindingProbe("queue:AUDIT_QUEUE", {})])
    expect(health.ok).toBe(false)
    expect(health.checks[0]).toMatchObject({ name: "do:Hung", ok: false, detail: expect.stringMatching(/^timed out/) })
    expect(health.checks[1]).toMatchObject({ name: "queue:AUDIT_QUEUE", ok: true })
  })
})
