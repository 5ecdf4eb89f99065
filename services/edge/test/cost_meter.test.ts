/**
 * The cost meter through the real services (issue 5): every billable
 * operation a request causes — in the edge, in each backend, inside each
 * Durable Object — comes back as the `x-authrim-cost` header.
 */
import type { CostCounts } from "@authrim/contracts"
import { CostMeter } from "@authrim/cost-meter"
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import type { ServiceEnv } from "../src/env.ts"
import { meteredRequest } from "../src/http/cost_header.ts"
import worker from "../src/index.ts"
import { Browser, ORIGIN } from "./support/browser.ts"
import { seedClient, seedUser, type SeededClient } from "./support/fixtures.ts"
import { basicAuth, pkcePair, redeemCode, signIn } from "./support/flows.ts"

const costOf = (response: Response): CostCounts => JSON.parse(response.headers.get("x-authrim-cost") ?? "null")

/** A browser that adds up the bill of every request it makes. */
class MeteredBrowser extends Browser {
  readonly meter = new CostMeter()
  override async request(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const response = await super.request(pathOrUrl, init)
    this.meter.merge(costOf(response))
    return response
  }
}

describe("cost meter — what a request costs, measured in the services", () => {
  /** client_credentials from a client IP (the `token` rate-limit policy applies per IP). */
  const machineToken = (client: SeededClient, ip: string) =>
    new Browser().request("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!), "cf-connecting-ip": ip },
      body: "grant_type=client_credentials"
    })

  it("client_credentials: one Worker request, one limiter DO request with its SQLite row write, the client from isolate memory", async () => {
    const client = await seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "profile" })
    const response = await machineToken(client, "198.51.100.7")
    expect(response.status).toBe(200)
    const cost = costOf(response)
    expect(cost.workerRequests).toBe(1)
    expect(cost.doRequests?.RateLimiterCounter).toBe(1)
    expect(cost.doRowsWritten).toBeGreaterThanOrEqual(1)
    // identity (client authentication), ratelimit, tokens — and tokens → keys (signing).
    expect(cost.serviceCalls).toBeGreaterThanOrEqual(4)
    const again = costOf(await machineToken(client, "198.51.100.7"))
    expect(again.kvReads ?? 0).toBe(0)
    expect(again.d1RowsRead ?? 0).toBe(0)
  })

  it("concurrent requests each get their own bill (no counts leak between requests in one isolate)", async () => {
    const client = await seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "profile" })
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => machineToken(client, `203.0.113.${i + 1}`)))
    for (const response of responses) {
      expect(response.status).toBe(200)
      const cost = costOf(response)
      expect(cost.workerRequests).toBe(1)
      expect(cost.doRequests?.RateLimiterCounter).toBe(1)
    }
  })

  it("a sign-in with code exchange: one SessionStore request, the sealed code redeemed with one AuthorizationCodeStore request, the session written through to D1", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new MeteredBrowser()
    const { verifier, challenge } = await pkcePair()
    const callback = await signIn(browser, client, user, { code_challenge: challenge, code_challenge_method: "S256" })
    const token = await redeemCode(client, callback.searchParams.get("code")!, verifier)
    expect(token.status).toBe(200)
    browser.meter.merge(costOf(token))
    const total = browser.meter.snapshot() ?? {}
    expect(total.doRequests?.SessionStore).toBeGreaterThanOrEqual(1)
    // Issue 10: minting a code stores nothing (the grant is sealed in it); only its single use is recorded.
    expect(total.doRequests?.AuthorizationCodeStore).toBe(1)
    expect(total.d1RowsWritten).toBeGreaterThanOrEqual(1)
    expect(total.workerRequests).toBeGreaterThanOrEqual(4)
  })

  it("the header is off unless COST_METER_HEADER is \"true\" (it tells a client how much work it caused)", async () => {
    const quiet = { ...env, COST_METER_HEADER: undefined }
    const response = await worker.fetch(new Request(new URL("/.well-known/openid-configuration", ORIGIN)), quiet)
    expect(response.status).toBe(200)
    expect(response.headers.has("x-authrim-cost")).toBe(false)
  })

  it("off, a request runs with the edge's own bindings (no Proxy) and no meter (issue 10 §3)", async () => {
    const quiet = { ...env, COST_METER_HEADER: undefined }
    let seen: ServiceEnv | undefined
    await meteredRequest(quiet, async (bindings) => {
      seen = bindings
      return new Response(null, { status: 204 })
    })
    expect(seen).toBe(quiet)
    expect(seen?.TOKENS).toBe(env.TOKENS)
    // On (this project's setting), the same request sees counted bindings.
    await meteredRequest(env, async (bindings) => {
      seen = bindings
      return new Response(null, { status: 204 })
    })
    expect(seen?.TOKENS).not.toBe(env.TOKENS)
  })
})
