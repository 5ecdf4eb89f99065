import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient, seedUser, type SeededUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, submitLoginForm } from "./support/flows.ts"

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"

/** A browser that always sends its user agent and IP (as Cloudflare's `cf-connecting-ip` would). */
class Device extends Browser {
  constructor(readonly userAgent: string, readonly ip: string) {
    super()
  }

  override request(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set("user-agent", this.userAgent)
    headers.set("cf-connecting-ip", this.ip)
    return super.request(pathOrUrl, { ...init, headers })
  }
}

/** The sessions listed on an account page, with the fields of each one's forms. */
const listedSessions = (html: string) =>
  [...html.matchAll(/<li data-session-id="([^"]+)">([\s\S]*?)<\/li>/g)].map((m) => ({
    id: m[1]!,
    current: m[2]!.includes("(this browser)"),
    text: m[2]!
  }))

/** The value of the hidden csrf field of the account page. */
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""

/** Signs `user` in to the account page: /account → login → back to /account. Returns the account page HTML. */
const signInToAccount = async (browser: Browser, user: SeededUser) => {
  const start = await browser.request("/account")
  expect(start.status).toBe(303)
  expect(start.headers.get("location")).toMatch(/^\/login\?tx=/)
  const loginPage = await browser.follow(start)
  const back = await submitLoginForm(browser, loginPage, user)
  expect(back.status).toBe(303)
  expect(back.headers.get("location")).toBe("/account")
  const page = await browser.follow(back)
  expect(page.status).toBe(200)
  return page.text()
}

const accountHtml = async (browser: Browser) => {
  const page = await browser.request("/account")
  expect(page.status).toBe(200)
  return page.text()
}

/** Whether the browser's session still answers a prompt=none authorization with a code (else the error). */
const silentAuthorization = async (browser: Browser, clientId: string) => {
  const callback = callbackOf(await browser.request(authorizeUrl(clientId, { prompt: "none" })))
  return callback.searchParams.get("code") !== null ? "code" : callback.searchParams.get("error")
}

const post = (browser: Browser, fields: Record<string, string>) => browser.post("/account/sessions", fields)

describe("Account page — sign-in and profile", () => {
  it("sends a browser without a session to sign in, and back to /account afterwards, showing the profile", async () => {
    const user = await seedUser()
    const html = await signInToAccount(new Device(FIREFOX_LINUX, "203.0.113.7"), user)
    expect(html).toContain(user.email)
    expect(html).toContain("Test User")
    for (const link of ["/account/passkeys", "/account/password", "/account/totp"]) expect(html).toContain(`href="${link}"`)
  })

  it("is an HTML page with the security headers, never cached", async () => {
    const browser = new Device(FIREFOX_LINUX, "203.0.113.7")
    await signInToAccount(browser, await seedUser())
    const page = await browser.request("/account")
    expect(page.headers.get("x-frame-options")).toBe("DENY")
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'")
    expect(page.headers.get("cache-control")).toBe("no-store")
  })
})

describe("Account page — sessions and devices", () => {
  it("lists the sessions of two browsers with device, IP and times, marking the current one", async () => {
    const user = await seedUser()
    const laptop = new Device(FIREFOX_LINUX, "203.0.113.7")
    const phone = new Device(SAFARI_IPHONE, "198.51.100.23")
    await signInToAccount(laptop, user)
    await signInToAccount(phone, user)
    const sessions = listedSessions(await accountHtml(laptop))
    expect(sessions).toHaveLength(2)
    const [current, other] = [sessions.find((s) => s.current), sessions.find((s) => !s.current)]
    expect(current?.text).toContain("Firefox on Linux")
    expect(current?.text).toContain("203.0.113.7")
    expect(other?.text).toContain("Safari on iPhone")
    expect(other?.text).toContain("198.51.100.23")
    expect(other?.text).toMatch(/<time datetime="\d{4}-\d\d-\d\dT/)
  })

  it("revoking the other browser's session ends it: its next prompt=none authorization is login_required", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const laptop = new Device(FIREFOX_LINUX, "203.0.113.7")
    const phone = new Device(SAFARI_IPHONE, "198.51.100.23")
    await signInToAccount(laptop, user)
    await signInToAccount(phone, user)
    expect(await silentAuthorization(phone, client.clientId)).toBe("code")
    const html = await accountHtml(laptop)
    const other = listedSessions(html).find((s) => !s.current)!
    const response = await post(laptop, { csrf: csrfOf(html), action: "revoke", sessionId: other.id })
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe("/account")
    expect(await silentAuthorization(phone, client.clientId)).toBe("login_required")
    expect(listedSessions(await accountHtml(laptop)).map((s) => s.id)).not.toContain(other.id)
    expect(await silentAuthorization(laptop, client.clientId)).toBe("code")
  })

  it("signing out of this browser clears its cookie and ends its session", async () => {
    const client = await seedClient({ skipConsent: true })
    const laptop = new Device(FIREFOX_LINUX, "203.0.113.7")
    const html = await signInToAccount(laptop, await seedUser())
    const [current] = listedSessions(html)
    const cookie = laptop.cookies.get("__Host-authrim_session")!
    const response = await post(laptop, { csrf: csrfOf(html), action: "revoke", sessionId: current!.id })
    expect(response.status).toBe(200)
    expect(response.headers.getSetCookie().some((c) => /^__Host-authrim_session=;.*Max-Age=0/.test(c))).toBe(true)
    expect(laptop.cookies.has("__Host-authrim_session")).toBe(false)
    // Even a browser that kept the old cookie is signed out.
    const kept = new Browser()
    kept.cookies.set("__Host-authrim_session", cookie)
    expect(await silentAuthorization(kept, client.clientId)).toBe("login_required")
  })

  it("cannot revoke another user's session with a forged form (403, the session lives on)", async () => {
    const client = await seedClient({ skipConsent: true })
    const attacker = new Device(FIREFOX_LINUX, "203.0.113.66")
    const victim = new Device(SAFARI_IPHONE, "198.51.100.23")
    const attackerHtml = await signInToAccount(attacker, await seedUser())
    const victimSession = listedSessions(await signInToAccount(victim, await seedUser()))[0]!
    const response = await post(attacker, { csrf: csrfOf(attackerHtml), action: "revoke", sessionId: victimSession.id })
    expect(response.status).toBe(403)
    expect(await response.text()).toContain("access_denied")
    expect(await silentAuthorization(victim, client.clientId)).toBe("code")
  })

  it("sign out everywhere ends every session of the user, this browser's included", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const laptop = new Device(FIREFOX_LINUX, "203.0.113.7")
    const phone = new Device(SAFARI_IPHONE, "198.51.100.23")
    await signInToAccount(phone, user)
    const html = await signInToAccount(laptop, user)
    const response = await post(laptop, { csrf: csrfOf(html), action: "revoke_all" })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain("signed out")
    expect(await silentAuthorization(phone, client.clientId)).toBe("login_required")
    expect(await silentAuthorization(laptop, client.clientId)).toBe("login_required")
    expect((await laptop.request("/account")).headers.get("location")).toMatch(/^\/login\?tx=/)
  })

  it("sign out of all other sessions keeps this browser signed in", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const laptop = new Device(FIREFOX_LINUX, "203.0.113.7")
    const phone = new Device(SAFARI_IPHONE, "198.51.100.23")
    await signInToAccount(phone, user)
    const html = await signInToAccount(laptop, user)
    expect((await post(laptop, { csrf: csrfOf(html), action: "revoke_others" })).status).toBe(303)
    expect(await silentAuthorization(phone, client.clientId)).toBe("login_required")
    expect(await silentAuthorization(laptop, client.clientId)).toBe("code")
    expect(listedSessions(await accountHtml(laptop))).toHaveLength(1)
  })
})

describe("Account page — CSRF on every form", () => {
  it("refuses a post without the CSRF token, with a wrong one, or without the CSRF cookie; nothing is revoked", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const laptop = new Device(FIREFOX_LINUX, "203.0.113.7")
    const phone = new Device(SAFARI_IPHONE, "198.51.100.23")
    await signInToAccount(phone, user)
    const html = await signInToAccount(laptop, user)
    const other = listedSessions(html).find((s) => !s.current)!
    expect((await post(laptop, { action: "revoke", sessionId: other.id })).status).toBe(400)
    expect((await post(laptop, { csrf: "A".repeat(43), action: "revoke_all" })).status).toBe(400)
    // The token alone is not enough: a browser without the matching CSRF cookie is refused, even with the session cookie.
    const crossSite = new Device(FIREFOX_LINUX, "203.0.113.7")
    crossSite.cookies.set("__Host-authrim_session", laptop.cookies.get("__Host-authrim_session")!)
    expect((await post(crossSite, { csrf: csrfOf(html), action: "revoke_all" })).status).toBe(400)
    expect(await silentAuthorization(phone, client.clientId)).toBe("code")
    expect(await silentAuthorization(laptop, client.clientId)).toBe("code")
    for (const form of html.matchAll(/<form\b[\s\S]*?<\/form>/g)) expect(form[0]).toContain(`name="csrf" value="${csrfOf(html)}"`)
  })
})
