import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"
import { latestMailedLink, requestMagicLink, startLogin } from "./support/email_flows.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { callbackOf, redeemCode } from "./support/flows.ts"

const setup = async () => {
  const client = await seedClient({ skipConsent: true })
  const user = await seedUser()
  const browser = new Browser()
  const login = await startLogin(browser, client.clientId)
  return { client, user, browser, login }
}

/** Asks for a link in `browser` and returns it (from the dev outbox). */
const mailedLink = async (browser: Browser, tx: string, email: string) => {
  const sent = await requestMagicLink(browser, tx, email)
  expect(sent.status).toBe(200)
  const link = await latestMailedLink(email)
  expect(link).not.toBeNull()
  return link!
}

describe("Email magic link sign-in — login page", () => {
  it("offers 'Email me a sign-in link' and 'Forgot password?' for the transaction", async () => {
    const { login } = await setup()
    expect(login.html).toContain(`href="/login/email?tx=${encodeURIComponent(login.tx)}"`)
    expect(login.html).toContain(`href="/password/forgot?tx=${encodeURIComponent(login.tx)}"`)
  })
})

describe("Email magic link sign-in — end to end through the dev outbox", () => {
  it("the link, opened in the browser that asked, ends in a real authorization code (amr email)", async () => {
    const { client, user, browser, login } = await setup()
    const sent = await requestMagicLink(browser, login.tx, user.email)
    expect(await sent.text()).toContain("Check your email")
    const binding = sent.headers.getSetCookie().find((c) => c.startsWith("__Host-authrim_magic_link="))!
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Lax", "Max-Age=900"]) expect(binding).toContain(attribute)

    const link = (await latestMailedLink(user.email))!
    expect(link.startsWith(`${ORIGIN}/login/email/verify?token=`)).toBe(true)
    const callback = callbackOf(await browser.follow(await browser.request(link)))
    expect(browser.cookies.has("__Host-authrim_session")).toBe(true)
    expect(browser.cookies.has("__Host-authrim_magic_link")).toBe(false)

    const tokens = await (await redeemCode(client, callback.searchParams.get("code")!, login.verifier)).json<{ id_token: string }>()
    const jwks = await (await browser.request("/jwks")).json<JSONWebKeySet>()
    const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(jwks), { issuer: ORIGIN, audience: client.clientId })
    expect(payload.sub).toBe(user.id)
    expect(payload.amr).toEqual(["email"])
  })

  it("an unknown address gets the same page and nothing is sent (no account enumeration)", async () => {
    const { user, browser, login } = await setup()
    const known = await requestMagicLink(browser, login.tx, user.email)
    const email = `nobody-${crypto.randomUUID()}@example.test`
    const unknown = await requestMagicLink(browser, login.tx, email)
    expect(unknown.status).toBe(known.status)
    expect(await unknown.text()).toBe(await known.text())
    expect(await latestMailedLink(email)).toBeNull()
  })

  it("the /dev/outbox page lists the message with its link", async () => {
    const { user, browser, login } = await setup()
    const link = await mailedLink(browser, login.tx, user.email)
    const page = await new Browser().request(`/dev/outbox?to=${encodeURIComponent(user.email)}`)
    expect(page.status).toBe(200)
    expect(page.headers.get("x-frame-options")).toBe("DENY")
    const html = await page.text()
    expect(html).toContain("Your sign-in link")
    expect(html).toContain(new URL(link).searchParams.get("token")!)
  })
})

describe("Email magic link sign-in — rejected links", () => {
  it("a reused link is rejected with a clear page", async () => {
    const { user, browser, login } = await setup()
    const link = await mailedLink(browser, login.tx, user.email)
    const binding = browser.cookies.get("__Host-authrim_magic_link")!
    callbackOf(await browser.follow(await browser.request(link)))
    browser.cookies.set("__Host-authrim_magic_link", binding)
    const again = await browser.request(link)
    expect(again.status).toBe(400)
    expect(await again.text()).toContain("expired or was already used")
  })

  it("a link opened in another browser (no binding cookie) is rejected, and still works where it was asked for", async () => {
    const { user, browser, login } = await setup()
    const link = await mailedLink(browser, login.tx, user.email)
    const elsewhere = await new Browser().request(link)
    expect(elsewhere.status).toBe(403)
    expect(await elsewhere.text()).toContain("requested from a different browser")
    callbackOf(await browser.follow(await browser.request(link)))
  })

  it("a victim's link opened by an attacker who asked for their own link (another binding) is rejected", async () => {
    const { client, user, browser, login } = await setup()
    const attacker = new Browser()
    const attackerLogin = await startLogin(attacker, client.clientId)
    await requestMagicLink(attacker, attackerLogin.tx, `attacker-${crypto.randomUUID()}@example.test`)
    expect(attacker.cookies.has("__Host-authrim_magic_link")).toBe(true)
    const link = await mailedLink(browser, login.tx, user.email)
    const stolen = await attacker.request(link)
    expect(stolen.status).toBe(403)
    expect(attacker.cookies.has("__Host-authrim_session")).toBe(false)
  })

  it("a forged or missing token is rejected", async () => {
    const { user, browser, login } = await setup()
    const link = new URL(await mailedLink(browser, login.tx, user.email))
    const [id] = link.searchParams.get("token")!.split(".")
    for (const path of [`/login/email/verify?token=${id}.${"A".repeat(43)}`, "/login/email/verify", "/login/email/verify?token=nonsense"]) {
      const response = await browser.request(path)
      expect(response.status).toBe(400)
    }
  })

  it("race: 20 concurrent redemptions of one link → exactly one signs in", async () => {
    const { user, browser, login } = await setup()
    const link = await mailedLink(browser, login.tx, user.email)
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ")
    const { exports } = await import("cloudflare:workers")
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => exports.default.fetch(new Request(link, { headers: { cookie }, redirect: "manual" })))
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 303)).toHaveLength(1)
    expect(statuses.filter((s) => s === 400)).toHaveLength(19)
    const winner = responses.find((r) => r.status === 303)!
    expect(winner.headers.getSetCookie().some((c) => c.startsWith("__Host-authrim_session="))).toBe(true)
  })
})

describe("Email magic link sign-in — request form", () => {
  it("refuses a post without the transaction's CSRF token", async () => {
    const { user, browser, login } = await setup()
    const response = await browser.post("/login/email", { tx: login.tx, email: user.email })
    expect(response.status).toBe(400)
    expect(await latestMailedLink(user.email)).toBeNull()
  })

  it("an unknown or expired transaction is an error page", async () => {
    const response = await new Browser().request("/login/email?tx=c1_unknown")
    expect(response.status).toBe(400)
    expect(response.headers.get("content-type")).toContain("text/html")
  })
})
