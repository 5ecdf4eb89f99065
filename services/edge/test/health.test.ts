/**
 * `GET /health` (issue 11 §4): the shallow check costs no backend call; the deep
 * check is refused without the HEALTH_TOKEN (and does not exist without the
 * setting), and with it reaches every backend's `health` RPC through the real
 * auxiliary workers (D1, one Durable Object, KV, R2, queue producers).
 */
import type { CostCounts } from "@authrim/contracts"
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { Browser, ORIGIN } from "./support/browser.ts"

interface DeepHealth {
  readonly status: string
  readonly service: string
  readonly services: ReadonlyArray<{ readonly service: string; readonly ok: boolean; readonly checks: ReadonlyArray<{ name: string; ok: boolean; ms: number; detail?: string }> }>
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const costOf = (response: Response): CostCounts => JSON.parse(response.headers.get("x-authrim-cost") ?? "{}")

describe("GET /health", () => {
  it("shallow: 200 ok, not cacheable, no backend call", async () => {
    const response = await new Browser().request("/health")
    expect(response.status).toBe(200)
    expect(response.headers.get("cache-control")).toBe("no-store")
    expect(await response.json()).toEqual({ status: "ok", service: "authrim-edge" })
    const cost = costOf(response)
    expect(cost.serviceCalls ?? 0).toBe(0)
    expect(cost.doRequests ?? {}).toEqual({})
  })

  it("deep without a token, or with a wrong one: 401, no backend call", async () => {
    for (const headers of [{}, bearer("not-the-token"), { authorization: `Basic ${btoa(`x:${env.HEALTH_TOKEN}`)}` }]) {
      const response = await new Browser().request("/health?deep=1", { headers })
      expect(response.status).toBe(401)
      expect(response.headers.get("www-authenticate")).toContain("Bearer")
      expect(response.headers.get("cache-control")).toBe("no-store")
      expect(costOf(response).serviceCalls ?? 0).toBe(0)
    }
  })

  it("deep without a HEALTH_TOKEN setting: 404 even with a bearer token (never open by default)", async () => {
    for (const token of [undefined, ""]) {
      const response = await worker.fetch(new Request(new URL("/health?deep=1", ORIGIN), { headers: bearer(env.HEALTH_TOKEN ?? "x") }), { ...env, HEALTH_TOKEN: token })
      expect(response.status).toBe(404)
    }
    // The shallow check stays public.
    expect((await worker.fetch(new Request(new URL("/health", ORIGIN)), { ...env, HEALTH_TOKEN: undefined })).status).toBe(200)
  })

  it("deep with the token: every backend answers its checks, all ok", async () => {
    expect(env.HEALTH_TOKEN).toBeTruthy()
    const response = await new Browser().request("/health?deep=1", { headers: bearer(env.HEALTH_TOKEN!) })
    const body = await response.json<DeepHealth>()
    expect(body.services.filter((s) => !s.ok)).toEqual([])
    expect(response.status).toBe(200)
    expect(response.headers.get("cache-control")).toBe("no-store")
    expect(body.status).toBe("ok")
    expect(body.services.map((s) => s.service).sort()).toEqual(["authrim-identity", "authrim-keys", "authrim-ratelimit", "authrim-session", "authrim-tokens"])
    const checks = Object.fromEntries(body.services.map((s) => [s.service, s.checks.map((c) => c.name)]))
    expect(checks["authrim-keys"]).toEqual(["do:KeyManager", "queue:AUDIT_QUEUE"])
    expect(checks["authrim-session"]).toEqual(["d1:DB", "do:SessionStore", "queue:AUDIT_QUEUE"])
    expect(checks["authrim-identity"]).toEqual(expect.arrayContaining(["d1:DB", "do:ChallengeStore", "kv:CLIENTS", "r2:AUDIT_ARCHIVE", "queue:AUDIT_QUEUE"]))
    expect(checks["authrim-tokens"]).toEqual(expect.arrayContaining(["do:TokenRevocationStore", "queue:BACKCHANNEL_LOGOUT_QUEUE"]))
    // A probe writes nothing.
    expect(costOf(response).doRowsWritten ?? 0).toBe(0)
  })

  it("deep with a backend down: 503 naming the failing service and check, no stack trace", async () => {
    const response = await worker.fetch(
      new Request(new URL("/health?deep=1", ORIGIN), { headers: bearer(env.HEALTH_TOKEN!) }),
      { ...env, RATELIMIT: env.RATELIMIT_UNREACHABLE }
    )
    expect(response.status).toBe(503)
    const text = await response.text()
    expect(text).not.toMatch(/\n\s+at /)
    const body = JSON.parse(text) as DeepHealth
    expect(body.status).toBe("unhealthy")
    const failing = body.services.filter((s) => !s.ok)
    expect(failing.map((s) => s.service)).toEqual(["authrim-ratelimit"])
    expect(failing[0]!.checks[0]).toMatchObject({ name: "rpc", ok: false })
  })
})
