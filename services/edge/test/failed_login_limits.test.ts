import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { Browser, parseForm } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, signIn } from "./support/flows.ts"

const loginForm = async (browser: Browser, clientId: string) => {
  const page = await browser.follow(await browser.request(authorizeUrl(clientId)))
  return parseForm(await page.text())!
}

describe("Failed password sign-ins are counted per account, failures only (issue 3)", () => {
  it("successful sign-ins never fill the account's window; once 30 failures are counted even the right password is refused", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const attacker = new Browser()
    const form = await loginForm(attacker, client.clientId)
    const wrong = () => attacker.post("/login", { ...form.fields, email: user.email, password: "wrong" })
    for (let i = 0; i < 29; i++) expect((await wrong()).status).toBe(401)
    // The owner signs in three times meanwhile: none of these counts (before, the 2nd would have been refused).
    for (let i = 0; i < 3; i++) await signIn(new Browser(), client, user)
    expect((await wrong()).status).toBe(401) // the 30th failure is still verified and counted
    const refused = await attacker.post("/login", { ...form.fields, email: user.email, password: user.password })
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0)
    expect(refused.headers.get("ratelimit-limit")).toBe("30")
    expect(refused.headers.get("ratelimit-remaining")).toBe("0")
    expect(await refused.text()).toContain("Too many failed sign-in attempts")
  })
})

describe("Password sign-in fails CLOSED when the limiter is unreachable (README 'Rate limiting')", () => {
  it("answers 503 with Retry-After without checking the password, and keeps the transaction for a later try", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const form = await loginForm(browser, client.clientId)
    const body = new URLSearchParams({ ...form.fields, email: user.email, password: user.password }).toString()
    const post = (): Parameters<typeof worker.fetch>[0] =>
      new Request("https://op.test/login", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
          "cf-connecting-ip": "192.0.2.201"
        },
        body,
        redirect: "manual"
      })
    const down = await worker.fetch(post(), { ...env, RATELIMIT: env.RATELIMIT_UNREACHABLE })
    expect(down.status).toBe(503)
    expect(down.headers.get("retry-after")).toBe("30")
    expect(down.headers.get("content-type")).toContain("text/html")
    expect(await down.text()).toContain("Password sign-in is temporarily unavailable")
    // The limiter is back: the same form signs in.
    const back = await worker.fetch(post(), env)
    expect(back.status).toBe(303)
  })
})
