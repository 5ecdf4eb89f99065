/**
 * Issue 9 §1 — development conveniences are opt-in and refused in production.
 * The edge runs in-process (its default export) with production vars over the
 * production-configured copy of the backends (`*_PRODUCTION`, see
 * vitest.config.ts: identity with the outbox transport and no
 * MFA_ENCRYPTION_KEY, tokens without DPOP_NONCE_SECRET); every other test of
 * this project runs the development stack.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { productionBrowser } from "./support/production_stack.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { basicAuth, submitLoginForm } from "./support/flows.ts"
import { newDpopKey, proofFor } from "./support/dpop_client.ts"
import { enrolTotp, passwordStep, secondFactorPageOf, signInToAccountTotp, submitCode } from "./support/totp_flows.ts"

const expectConfigurationPage = async (response: Response, setting: string) => {
  expect(response.status).toBe(503)
  expect(response.headers.get("content-type")).toContain("text/html")
  const html = await response.text()
  expect(html).toContain("server_error")
  expect(html).toContain(setting)
}

describe("/dev/* in production — always a plain 404", () => {
  it("GET /dev/outbox is 404 though identity's transport is outbox and BENCH_ROUTES is on; the dev stack still serves it", async () => {
    for (const vars of [{}, { BENCH_ROUTES: "true" }, { AUTHRIM_ENV: undefined }, { AUTHRIM_ENV: "Development" }]) {
      const browser = productionBrowser(vars)
      for (const path of ["/dev/outbox", "/dev/outbox?to=victim%40example.test"]) {
        const response = await browser.request(path)
        expect(response.status).toBe(404)
        expect(await response.text()).toBe("Not found")
      }
      const check = await browser.request("/dev/rate-limit-check", {
        method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "key=probe"
      })
      expect(check.status).toBe(404)
    }
    // Development (the rest of this project): the outbox page answers while identity's transport is outbox.
    expect((await new Browser().request("/dev/outbox")).status).toBe(200)
  })

  it("the takeover path is closed: a reset request for a victim is a configuration error, and the outbox is 404", async () => {
    const victim = await seedUser()
    const attacker = productionBrowser()
    const form = parseForm(await (await attacker.request("/password/forgot")).text())!
    const asked = await attacker.post(form.action, { ...form.fields, email: victim.email })
    await expectConfigurationPage(asked, "EMAIL_TRANSPORT")
    expect((await attacker.request(`/dev/outbox?to=${encodeURIComponent(victim.email)}`)).status).toBe(404)
    const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM email_outbox WHERE to_address = ?").bind(victim.email).first<{ n: number }>()
    expect(stored?.n).toBe(0)
  })
})

describe("ISSUER in production — required, never taken from the request", () => {
  it("unset: discovery is a 503 server_error naming ISSUER (JSON), /authorize the 503 page; no issuer from the Host header", async () => {
    for (const ISSUER of [undefined, "", "  "]) {
      const browser = productionBrowser({ ISSUER })
      const discovery = await browser.request("https://attacker.example/.well-known/openid-configuration")
      expect(discovery.status).toBe(503)
      const body = await discovery.json<{ error: string; error_description: string }>()
      expect(body.error).toBe("server_error")
      expect(body.error_description).toContain("ISSUER")
      expect(JSON.stringify(body)).not.toContain("attacker.example")
      expect(discovery.headers.get("access-control-allow-origin")).toBe("*")
      await expectConfigurationPage(await browser.request("/authorize?client_id=x"), "ISSUER")
    }
  })

  it("set: production serves discovery under the configured issuer whatever the Host", async () => {
    const discovery = await productionBrowser({ ISSUER: "https://id.example.com/" }).request("https://attacker.example/.well-known/openid-configuration")
    expect(discovery.status).toBe(200)
    expect((await discovery.json<{ issuer: string }>()).issuer).toBe("https://id.example.com")
  })
})

describe("MFA_ENCRYPTION_KEY missing in production — a configuration error, never a constant key", () => {
  it("a signed-in user's TOTP enrolment answers the 503 page naming MFA_ENCRYPTION_KEY, and nothing is enrolled", async () => {
    const user = await seedUser()
    const browser = productionBrowser()
    const page = await signInToAccountTotp(browser, user)
    const begin = parseForm(await page.text())!
    expect(begin.fields.action).toBe("begin")
    await expectConfigurationPage(await browser.post("/account/totp", begin.fields), "MFA_ENCRYPTION_KEY")
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM user_totp WHERE user_id = ?").bind(user.id).first<{ n: number }>()
    expect(row?.n).toBe(0)
  })

  it("a TOTP user's sign-in stops at the second factor with the 503 page: no session, no code", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const enrolled = await enrolTotp(await (async () => {
      const devBrowser = new Browser()
      await signInToAccountTotp(devBrowser, user)
      return devBrowser
    })())
    const browser = productionBrowser()
    const html = await secondFactorPageOf(browser, await passwordStep(browser, client.clientId, user))
    const answer = await submitCode(browser, html, await enrolled.app.code(1))
    await expectConfigurationPage(answer, "MFA_ENCRYPTION_KEY")
    expect(answer.headers.get("location")).toBeNull()
    expect([...browser.cookies.keys()].some((name) => name.includes("session"))).toBe(false)
  })

  it("a user without TOTP still signs in on the production stack (only what needs the key is refused)", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = productionBrowser()
    const login = await browser.follow(await browser.request(`/authorize?response_type=code&client_id=${client.clientId}&redirect_uri=${encodeURIComponent("https://rp.test/cb")}&scope=openid&state=s&nonce=n`))
    const afterLogin = await browser.follow(await submitLoginForm(browser, login, user))
    expect(afterLogin.status).toBe(200)
    expect(await afterLogin.text()).toContain("name=\"decision\"")
  })
})

describe("DPOP_NONCE_SECRET missing in production — a configuration error at /token, not a per-isolate secret", () => {
  it("a DPoP token request answers 503 server_error JSON naming DPOP_NONCE_SECRET", async () => {
    const client = await seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "profile" })
    const proof = await proofFor(await newDpopKey(), "POST", "/token")
    const response = await productionBrowser().request("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!), dpop: proof },
      body: "grant_type=client_credentials"
    })
    expect(response.status).toBe(503)
    const body = await response.json<{ error: string; error_description: string }>()
    expect(body).toMatchObject({ error: "server_error" })
    expect(body.error_description).toContain("DPOP_NONCE_SECRET")
  })
})
