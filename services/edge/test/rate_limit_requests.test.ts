/**
 * Issue 10: what the rate limits cost per flow, read from the `x-authrim-cost` header every
 * response carries in the tests — limiter Durable Object requests (`RateLimiterCounter`) and the
 * SQLite rows they write. Every request comes from a client IP, so every IP policy applies.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { Browser } from "./support/browser.ts"
import { REDIRECT_URI, seedClient, seedUser, type SeededClient } from "./support/fixtures.ts"
import { basicAuth, pkcePair, signIn } from "./support/flows.ts"

interface LimiterCost {
  requests: number
  rows: number
}

const limiterCostOf = (response: Response): LimiterCost => {
  const cost = JSON.parse(response.headers.get("x-authrim-cost") ?? "{}") as {
    doRequests?: Record<string, number>
    doRowsWrittenByClass?: Record<string, number>
  }
  return { requests: cost.doRequests?.["RateLimiterCounter"] ?? 0, rows: cost.doRowsWrittenByClass?.["RateLimiterCounter"] ?? 0 }
}

const freshIp = () => `2001:db8:10::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`

/** A browser on `ip` that records the limiter cost of every request by method and path. */
class LimiterMeteredBrowser extends Browser {
  readonly costs: Array<{ step: string } & LimiterCost> = []
  constructor(ip: string) {
    super()
    this.ip = ip
  }
  private readonly ip: string
  override async request(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set("cf-connecting-ip", this.ip)
    const response = await super.request(pathOrUrl, { ...init, headers })
    this.costs.push({ step: `${init.method ?? "GET"} ${new URL(pathOrUrl, "https://op.test").pathname}`, ...limiterCostOf(response) })
    return response
  }
  total(): LimiterCost {
    return this.costs.reduce((sum, c) => ({ requests: sum.requests + c.requests, rows: sum.rows + c.rows }), { requests: 0, rows: 0 })
  }
}

const tokenRequest = (client: SeededClient, fields: Record<string, string>, ip: string) =>
  new Browser().request("/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!), "cf-connecting-ip": ip },
    body: new URLSearchParams(fields).toString()
  })

describe("Limiter requests per flow (issue 10)", () => {
  it("a sign-in (authorize → login page → password → consent → code at /token) costs 4 limiter requests and writes no row", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const ip = freshIp()
    const browser = new LimiterMeteredBrowser(ip)
    const { verifier, challenge } = await pkcePair()
    const callback = await signIn(browser, client, user, { code_challenge: challenge, code_challenge_method: "S256" })
    const byStep = Object.fromEntries(browser.costs.filter((c) => c.requests > 0).map((c) => [c.step, c.requests]))
    // /authorize counts the transaction; the login page is a render of it; the password check reads the
    // IP's failure windows and the account's delay (two shards, one call); consent is not limited.
    expect(byStep).toEqual({ "GET /authorize": 1, "POST /login": 2 })
    const token = await tokenRequest(client, { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: REDIRECT_URI, code_verifier: verifier }, ip)
    expect(token.status).toBe(200)
    expect(limiterCostOf(token)).toEqual({ requests: 1, rows: 0 })
    expect(browser.total()).toEqual({ requests: 3, rows: 0 }) // + 1 at /token
  })

  it("a wrong password costs 4 limiter requests: the gate's read and the failure's count, each one IP shard and one account shard", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new LimiterMeteredBrowser(freshIp())
    await signIn(browser, client, { ...user, password: "not-the-password" }).catch(() => undefined)
    const post = browser.costs.find((c) => c.step === "POST /login")!
    expect(post.requests).toBe(4)
  })

  it("client_credentials at /token (every grant passes the same per-IP gate): one limiter request, no row", async () => {
    const client = await seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "profile" })
    const ip = freshIp()
    for (let i = 0; i < 3; i++) {
      const response = await tokenRequest(client, { grant_type: "client_credentials" }, ip)
      expect(response.status).toBe(200)
      expect(limiterCostOf(response)).toEqual({ requests: 1, rows: 0 })
    }
  })

  it("/introspect: the per-IP and per-client windows in one limiter request, no row", async () => {
    const client = await seedClient()
    const ip = freshIp()
    for (let i = 0; i < 3; i++) {
      const response = await new Browser().request("/introspect", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!), "cf-connecting-ip": ip },
        body: "token=not-a-token"
      })
      expect(response.status).toBe(200)
      expect(limiterCostOf(response)).toEqual({ requests: 1, rows: 0 })
    }
  })

  it("/login with a made-up transaction is still counted under `authorize`: past the limit a 429 page, also for the page render", async () => {
    const configured = { ...env, RATE_LIMIT_POLICIES: JSON.stringify({ authorize: { limit: 1, windowSeconds: 300 } }) }
    const ip = freshIp()
    const post = () => worker.fetch(new Request("https://op.test/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
      body: "tx=made-up&csrf=x&email=a%40example.test&password=x"
    }) as Parameters<typeof worker.fetch>[0], configured)
    const first = await post()
    expect(first.status).toBeGreaterThanOrEqual(400)
    expect(first.status).not.toBe(429)
    expect(limiterCostOf(first).requests).toBe(1)
    const second = await post()
    expect(second.status).toBe(429)
    expect(second.headers.get("retry-after")).not.toBeNull()
    // Known to be over the limit: refused from isolate memory, no limiter request, no transaction lookup.
    const render = await worker.fetch(new Request("https://op.test/login?tx=made-up", { headers: { "cf-connecting-ip": ip } }) as Parameters<typeof worker.fetch>[0], configured)
    expect(render.status).toBe(429)
    expect(limiterCostOf(render).requests).toBe(0)
  })
})
