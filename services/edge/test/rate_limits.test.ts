import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { edgeLayer } from "../src/edge_layer.ts"
import { DEFAULT_POLICIES, rateLimitPoliciesFrom } from "../src/http/rate_limit_policies.ts"
import { devicePollLimit } from "../src/http/surface_rate_limits.ts"

/** A request as the worker's fetch handler receives it. */
type IncomingRequest = Parameters<typeof worker.fetch>[0]

/** A fresh client IP per test: counters outlive a test file. */
const freshIp = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`

/** The edge with `RATE_LIMIT_POLICIES` set to `policies`. */
const edgeWith = (policies: Record<string, { limit: number; windowSeconds: number }>) => {
  const configured = { ...env, RATE_LIMIT_POLICIES: JSON.stringify(policies) }
  return (request: IncomingRequest) => worker.fetch(request, configured)
}

const tokenRequest = (ip: string): IncomingRequest =>
  new Request("https://op.test/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
    body: new URLSearchParams({ grant_type: "authorization_code", code: "nope", client_id: "no-such-client" }).toString()
  })

const expectRateLimitHeaders = (response: Response, limit: number) => {
  const retryAfter = Number(response.headers.get("retry-after"))
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(response.headers.get("ratelimit-limit")).toBe(String(limit))
  expect(response.headers.get("ratelimit-remaining")).toBe("0")
  expect(response.headers.get("ratelimit-reset")).toBe(String(retryAfter))
}

describe("Token endpoint per client IP — exact under concurrency (issue 4)", () => {
  it("30 parallel /token requests from one IP against a limit of 10: exactly 10 are served, 20 get an OAuth-shaped 429", async () => {
    const fetchEdge = edgeWith({ token: { limit: 10, windowSeconds: 60 } })
    const ip = freshIp()
    const responses = await Promise.all(Array.from({ length: 30 }, () => fetchEdge(tokenRequest(ip))))
    const limited = responses.filter((r) => r.status === 429)
    expect(responses.length - limited.length).toBe(10)
    expect(limited).toHaveLength(20)
    for (const response of limited) {
      expectRateLimitHeaders(response, 10)
      expect(response.headers.get("cache-control")).toBe("no-store")
      expect(await response.json()).toEqual({ error: "temporarily_unavailable", error_description: "too many requests, retry later" })
    }
    // Another IP has its own window.
    expect((await fetchEdge(tokenRequest(freshIp()))).status).not.toBe(429)
  })
})

describe("Refused keys are remembered at the edge (issue 5)", () => {
  it("once a key is refused, its next requests in the window are refused from isolate memory: no limiter Durable Object request", async () => {
    const fetchEdge = edgeWith({ token: { limit: 2, windowSeconds: 60 } })
    const ip = freshIp()
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await fetchEdge(tokenRequest(ip))).status)
    expect(statuses.slice(0, 2)).not.toContain(429)
    expect(statuses[2]).toBe(429)
    const again = await fetchEdge(tokenRequest(ip))
    expect(again.status).toBe(429)
    expectRateLimitHeaders(again, 2)
    const cost = JSON.parse(again.headers.get("x-authrim-cost") ?? "{}") as { doRequests?: Record<string, number> }
    expect(cost.doRequests?.RateLimiterCounter ?? 0).toBe(0)
    // Another IP is unaffected.
    expect((await fetchEdge(tokenRequest(freshIp()))).status).not.toBe(429)
  })
})

describe("Authorize and login pages per client IP (issue 4)", () => {
  it("past the limit /authorize and /login answer a 429 page with Retry-After, never a redirect to the RP", async () => {
    const fetchEdge = edgeWith({ authorize: { limit: 2, windowSeconds: 300 } })
    const ip = freshIp()
    const get = (path: string, from = ip) => fetchEdge(new Request(`https://op.test${path}`, { headers: { "cf-connecting-ip": from } }))
    expect((await get("/authorize?client_id=no-such-client")).status).not.toBe(429)
    expect((await get("/login?tx=none")).status).not.toBe(429)
    for (const path of ["/authorize?client_id=no-such-client&redirect_uri=https%3A%2F%2Frp.test%2Fcb", "/login?tx=none"]) {
      const refused = await get(path)
      expect(refused.status).toBe(429)
      expect(refused.headers.get("location")).toBeNull()
      expect(refused.headers.get("content-type")).toContain("text/html")
      expectRateLimitHeaders(refused, 2)
      expect(await refused.text()).toContain("Too many requests")
    }
    expect((await get("/authorize?client_id=no-such-client", freshIp())).status).not.toBe(429)
  })

  it("the 429 page follows the browser's language (the code and headers stay as for any client)", async () => {
    const fetchEdge = edgeWith({ authorize: { limit: 1, windowSeconds: 300 } })
    const ip = freshIp()
    const get = () => fetchEdge(new Request("https://op.test/login?tx=none", { headers: { "cf-connecting-ip": ip, "accept-language": "ja,en;q=0.5" } }))
    expect((await get()).status).not.toBe(429)
    const refused = await get()
    expect(refused.status).toBe(429)
    expectRateLimitHeaders(refused, 1)
    const html = await refused.text()
    expect(html).toContain(`<html lang="ja">`)
    expect(html).toMatch(/<p class="error" role="alert">リクエストが多すぎます。\d+ 秒待ってから、もう一度お試しください。<\/p>/)
    expect(html).toContain("<code>temporarily_unavailable</code>")
    expect(html).not.toContain("too many requests")
  })
})

describe("Device-code polling per device code (issue 4, RFC 8628 §3.5)", () => {
  it("counts polls per device code: past the limit the verdict is Limited, another code is unaffected", async () => {
    const edge = edgeLayer({ ...env, RATE_LIMIT_POLICIES: JSON.stringify({ devicePoll: { limit: 2, windowSeconds: 60 } }) })
    const code = `device-${crypto.randomUUID()}`
    const verdicts = await Effect.runPromise(Effect.all([1, 2, 3].map(() => devicePollLimit(code))).pipe(Effect.provide(edge)))
    expect(verdicts.map((v) => v._tag)).toEqual(["Admitted", "Admitted", "Limited"])
    const other = await Effect.runPromise(devicePollLimit(`device-${crypto.randomUUID()}`).pipe(Effect.provide(edge)))
    expect(other._tag).toBe("Admitted")
  })
})

describe("RATE_LIMIT_POLICIES configuration", () => {
  it("overrides limit and window of the named policies and keeps the rest", () => {
    const policies = rateLimitPoliciesFrom(JSON.stringify({ token: { limit: 5, windowSeconds: 10 }, unknown: { limit: 1, windowSeconds: 1 } }))
    expect(policies.token).toEqual({ ...DEFAULT_POLICIES.token, limit: 5, windowSeconds: 10 })
    expect(policies.loginFailuresPerAccountIp).toEqual(DEFAULT_POLICIES.loginFailuresPerAccountIp)
    expect(rateLimitPoliciesFrom(undefined)).toEqual(DEFAULT_POLICIES)
  })

  it.each(["not json", "[1]", JSON.stringify({ token: { limit: 0, windowSeconds: 10 } }), JSON.stringify({ token: { limit: 5 } })])(
    "an invalid value (%s) is ignored as a whole: the defaults apply",
    (configured) => expect(rateLimitPoliciesFrom(configured)).toEqual(DEFAULT_POLICIES)
  )
})

describe("When the limiter is unreachable (documented choice, README 'Rate limiting')", () => {
  const limiterDown = { ...env, RATELIMIT: env.RATELIMIT_UNREACHABLE }

  it("the token endpoint fails open: the request is handled as if unlimited", async () => {
    const response = await worker.fetch(tokenRequest(freshIp()), limiterDown)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: "invalid_client" })
  })

  it("the authorize page fails open", async () => {
    const response = await worker.fetch(
      new Request("https://op.test/authorize?client_id=no-such-client", { headers: { "cf-connecting-ip": freshIp() } }),
      limiterDown
    )
    expect(response.status).not.toBe(429)
    expect(response.status).not.toBe(503)
  })
})
