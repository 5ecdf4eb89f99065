import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { issuerFor } from "../src/route_context.ts"
import { Browser, parseForm } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl } from "./support/flows.ts"

const loginForm = async (browser: Browser) => {
  const client = await seedClient()
  const page = await browser.follow(await browser.request(authorizeUrl(client.clientId)))
  return parseForm(await page.text())!
}

describe("Rate-limit gate on password login", () => {
  // Changed by issue 9 §4: an account is no longer locked after 30 failures; it is slowed down (failed_login_limits.test.ts).
  it("repeated failures on one account are delayed, not locked: after the free failures the next attempt gets 429 with a capped Retry-After", async () => {
    const user = await seedUser()
    const browser = new Browser()
    const form = await loginForm(browser)
    const statuses: Array<number> = []
    let last: Response | undefined
    for (let i = 0; i < 5; i++) {
      last = await browser.post("/login", { ...form.fields, email: user.email, password: "wrong" })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429])
    const retryAfter = Number(last!.headers.get("retry-after"))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(900)
    const delayed = await browser.post("/login", { ...form.fields, email: user.email, password: user.password })
    expect(delayed.status).toBe(429)
  })

  it("the 101st attempt from one IP within 5 minutes is refused, whatever the account", async () => {
    const browser = new Browser()
    const form = await loginForm(browser)
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`
    const statuses: Array<number> = []
    for (let i = 0; i < 101; i++) {
      const response = await browser.request("/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
        body: new URLSearchParams({ ...form.fields, email: `nobody-${i}@example.test`, password: "x" }).toString()
      })
      statuses.push(response.status)
    }
    expect(statuses.filter((s) => s === 429)).toEqual([429])
    expect(statuses[100]).toBe(429)
  })
})

describe("Issuer and defects", () => {
  it("the ISSUER var, when set, wins over the request origin (development)", () => {
    const request = new Request("https://127.0.0.1:8787/authorize")
    expect(Effect.runSync(issuerFor(request, { ...env, ISSUER: "https://id.example.com/" }))).toBe("https://id.example.com")
    expect(Effect.runSync(issuerFor(request, { ...env, ISSUER: undefined }))).toBe("https://127.0.0.1:8787")
  })

  it("a defect becomes a generic server_error: JSON at API endpoints, a page in the browser, no stack trace", async () => {
    // Backends are made on first use (src/backends.ts), so the defect fires when a request reaches the client lookup.
    const broken = { ...env, get IDENTITY(): never { throw new Error("boom at secret.ts:12") } }
    const api = await worker.fetch(new Request("https://op.test/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa("some-client:some-secret-value")}` },
      body: "grant_type=client_credentials"
    }), broken)
    expect(api.status).toBe(500)
    expect(await api.json()).toEqual({ error: "server_error", error_description: "an unexpected error occurred" })
    const page = await worker.fetch(new Request("https://op.test/authorize?client_id=some-client&response_type=code&redirect_uri=https%3A%2F%2Frp.test%2Fcb"), broken)
    expect(page.status).toBe(500)
    expect(page.headers.get("content-type")).toContain("text/html")
    expect(await page.text()).not.toContain("boom")
  })
})
