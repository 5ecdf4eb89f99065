/**
 * Online password guessing without lockout (issue 9 §4; OWASP "device
 * cookie" pattern): failed passwords are counted per IP and per (account,
 * IP) pair, an account gets a progressive delay from any IP, and a browser
 * that signed in before (remembered-device cookie) is exempt from that delay.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { DEVICE_COOKIE, SESSION_COOKIE } from "../src/http/cookies.ts"
import { LOGIN_BACKOFF_PER_ACCOUNT } from "../src/http/rate_limit_policies.ts"
import { Browser, parseForm } from "./support/browser.ts"
import { seedClient, seedUser, type SeededClient, type SeededUser } from "./support/fixtures.ts"
import { authorizeUrl } from "./support/flows.ts"

/** A fresh client IP per call: counters outlive a test file. */
const freshIp = () => `2001:db8:9::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`

/** A browser talking to the edge with `RATE_LIMIT_POLICIES` set to `policies` (default: the defaults). */
const browserWith = (policies?: Record<string, { limit: number; windowSeconds: number }>) =>
  policies === undefined
    ? new Browser()
    : new Browser((request) => worker.fetch(request as Parameters<typeof worker.fetch>[0], { ...env, RATE_LIMIT_POLICIES: JSON.stringify(policies) }))

/** The login form of a fresh authorization in `browser` (`prompt=login`: a browser signed in before gets the form too). */
const loginForm = async (browser: Browser, client: SeededClient) => {
  const page = await browser.follow(await browser.request(authorizeUrl(client.clientId, { prompt: "login" })))
  return parseForm(await page.text())!.fields
}

/** One password attempt from `ip` with a fresh login transaction of `browser`. */
const attempt = async (browser: Browser, client: SeededClient, email: string, password: string, ip: string) => {
  const fields = await loginForm(browser, client)
  return browser.request("/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip },
    body: new URLSearchParams({ ...fields, email, password }).toString()
  })
}

/** `attempts` wrong passwords for `user`, each from its own IP, all at once: they pass the read together, so every one is verified and counted. */
const parallelFlood = async (client: SeededClient, user: SeededUser, attempts: number) => {
  const attacker = new Browser()
  const fields = await loginForm(attacker, client)
  return Promise.all(Array.from({ length: attempts }, () =>
    attacker.request("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": freshIp() },
      body: new URLSearchParams({ ...fields, email: user.email, password: "wrong-guess" }).toString()
    })))
}

/** The account's consecutive failures as the ratelimit service holds them (a peek: counts nothing). */
const accountFailures = async (email: string) => {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(email.trim().toLowerCase()))
  const account = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")
  const { name, ...policy } = LOGIN_BACKOFF_PER_ACCOUNT
  const result = await env.RATELIMIT.backoff({ key: `${name}:${account}`, step: "peek", ...policy })
  if (result._tag !== "Success") throw new Error(`backoff peek failed: ${JSON.stringify(result)}`)
  return result.value.failures
}

/** A browser that signed `user` in once with the right password: it now holds the device cookie. */
const rememberedBrowser = async (client: SeededClient, user: SeededUser) => {
  const browser = new Browser()
  const signedIn = await attempt(browser, client, user.email, user.password, freshIp())
  expect(signedIn.status).toBe(303)
  expect(browser.cookies.has(DEVICE_COOKIE)).toBe(true)
  return browser
}

describe("Remembered-device cookie — OWASP device cookies (issue 9 §4)", () => {
  it("is set after a correct password: __Host- prefixed, HttpOnly, Secure, SameSite=Lax, Path=/, no Domain, 30 days; never after a wrong one", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const wrong = await attempt(new Browser(), client, user.email, "wrong", freshIp())
    expect(wrong.status).toBe(401)
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith(`${DEVICE_COOKIE}=`))).toBe(false)
    const browser = new Browser()
    const response = await attempt(browser, client, user.email, user.password, freshIp())
    expect(response.status).toBe(303)
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`))!
    expect(cookie).toMatch(/^__Host-authrim_device=v1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}\.\d+\.[A-Za-z0-9_-]{43};/)
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/", `Max-Age=${30 * 24 * 3600}`]) expect(cookie).toContain(attribute)
    expect(cookie.toLowerCase()).not.toContain("domain=")
    expect(cookie).not.toContain(user.email)
  })
})

describe("Failed passwords per account: a progressive delay, never a lockout (issue 9 §4)", () => {
  it("a flood of wrong passwords for alice from many IPs does not stop alice's remembered browser; a browser without the cookie is delayed (429 + Retry-After, capped)", async () => {
    const client = await seedClient({ skipConsent: true })
    const alice = await seedUser()
    const remembered = await rememberedBrowser(client, alice)
    // 32 failures: past the old per-account limit (30 per 15 min), which locked the owner out too.
    const flood = await parallelFlood(client, alice, 32)
    expect(flood.map((r) => r.status)).toEqual(Array(32).fill(401))
    // Every one of the 32 concurrent failures was counted exactly once in the account's backoff record.
    expect(await accountFailures(alice.email)).toBe(32)

    // 32 failures, 3 free: the account now waits the 15-minute cap — more guessing is refused without checking the password.
    const guess = await attempt(new Browser(), client, alice.email, "another-guess", freshIp())
    expect(guess.status).toBe(429)
    const stranger = await attempt(new Browser(), client, alice.email, alice.password, freshIp())
    expect(stranger.status).toBe(429)
    const retryAfter = Number(stranger.headers.get("retry-after"))
    expect(retryAfter).toBeGreaterThan(200)
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_BACKOFF_PER_ACCOUNT.maxSeconds) // a delay, never a lock
    expect(await stranger.text()).toContain("Too many failed sign-in attempts")
    expect(stranger.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false)

    // Alice's own browser still signs in at once, from yet another IP.
    const own = await attempt(remembered, client, alice.email, alice.password, freshIp())
    expect(own.status).toBe(303)
    expect(new URL(own.headers.get("location")!).searchParams.get("code")).not.toBeNull()
  })

  it("a browser without the cookie is only delayed: once Retry-After has passed the right password signs in", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const statuses = []
    // Sequential failures: 3 free, the 4th starts a 1-second delay.
    for (let i = 0; i <= LOGIN_BACKOFF_PER_ACCOUNT.freeFailures; i++) statuses.push((await attempt(new Browser(), client, user.email, "wrong", freshIp())).status)
    expect(statuses).toEqual(Array(LOGIN_BACKOFF_PER_ACCOUNT.freeFailures + 1).fill(401))
    const early = await attempt(new Browser(), client, user.email, user.password, freshIp())
    expect(early.status).toBe(429)
    expect(early.headers.get("retry-after")).toBe("1")
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const browser = new Browser()
    expect((await attempt(browser, client, user.email, user.password, freshIp())).status).toBe(303)
    // The success ended the run of failures: a typo now is free again (401, not 429).
    expect(await accountFailures(user.email)).toBe(0)
    expect((await attempt(new Browser(), client, user.email, "typo", freshIp())).status).toBe(401)
  })

  it("the remembered browser is exempt only for its own account: another account's, a tampered or a missing cookie is not trusted", async () => {
    const client = await seedClient({ skipConsent: true })
    const alice = await seedUser()
    const bobsBrowser = await rememberedBrowser(client, await seedUser())
    expect((await parallelFlood(client, alice, 10)).every((r) => r.status === 401)).toBe(true)
    expect((await attempt(bobsBrowser, client, alice.email, alice.password, freshIp())).status).toBe(429)
    const someone = await rememberedBrowser(client, await seedUser()) // a genuine cookie for another account…
    const [v, id, , expires, mac] = someone.cookies.get(DEVICE_COOKIE)!.split(".")
    const tampered = new Browser()
    tampered.cookies.set(DEVICE_COOKIE, [v, id, "A".repeat(22), expires, mac].join(".")) // …with its account tag edited: the MAC no longer verifies
    expect((await attempt(tampered, client, alice.email, alice.password, freshIp())).status).toBe(429)
  })

  it("a remembered device that fails too often for its account stops being trusted (loginFailuresPerDevice)", async () => {
    const policies = { loginFailuresPerDevice: { limit: 2, windowSeconds: 900 } }
    const client = await seedClient({ skipConsent: true })
    const alice = await seedUser()
    const device = browserWith(policies)
    const other = browserWith(policies)
    for (const browser of [device, other]) expect((await attempt(browser, client, alice.email, alice.password, freshIp())).status).toBe(303)
    for (let i = 0; i < 2; i++) expect((await attempt(device, client, alice.email, "wrong", freshIp())).status).toBe(401)
    expect((await parallelFlood(client, alice, 10)).every((r) => r.status === 401)).toBe(true)
    // The device's window is full: its cookie no longer skips the account's delay.
    expect((await attempt(device, client, alice.email, alice.password, freshIp())).status).toBe(429)
    // Alice's other remembered browser, with a clean record, is still let through.
    expect((await attempt(other, client, alice.email, alice.password, freshIp())).status).toBe(303)
  })

  it("failures from a remembered device past its window still count toward the account's delay (issue 10: one call counts them all)", async () => {
    const policies = { loginFailuresPerDevice: { limit: 1, windowSeconds: 900 } }
    const client = await seedClient({ skipConsent: true })
    const alice = await seedUser()
    const device = browserWith(policies)
    expect((await attempt(device, client, alice.email, alice.password, freshIp())).status).toBe(303)
    // The first failure fills the device's window; the next ones meet it refused (and remembered by this isolate).
    for (let i = 0; i < 3; i++) expect((await attempt(device, client, alice.email, "wrong", freshIp())).status).toBe(401)
    expect(await accountFailures(alice.email)).toBe(3)
  })
})

describe("Failed passwords per (account, IP) pair and per IP (issue 9 §4)", () => {
  it("the (account, IP) pair has a hard limit for that IP only: the same account from another IP still signs in", async () => {
    const policies = { loginFailuresPerAccountIp: { limit: 2, windowSeconds: 900 } }
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const ip = freshIp()
    for (let i = 0; i < 2; i++) expect((await attempt(browserWith(policies), client, user.email, "wrong", ip)).status).toBe(401)
    const refused = await attempt(browserWith(policies), client, user.email, user.password, ip)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0)
    expect(refused.headers.get("ratelimit-limit")).toBe("2")
    expect(refused.headers.get("ratelimit-remaining")).toBe("0")
    // The same IP can still sign in to another account; the account can still sign in from another IP.
    const other = await seedUser()
    expect((await attempt(browserWith(policies), client, other.email, other.password, ip)).status).toBe(303)
    expect((await attempt(browserWith(policies), client, user.email, user.password, freshIp())).status).toBe(303)
  })

  it("the per-IP limit stays: failures against different accounts from one IP fill it, whatever the account", async () => {
    const policies = { loginFailuresPerIp: { limit: 2, windowSeconds: 300 } }
    const client = await seedClient({ skipConsent: true })
    const ip = freshIp()
    for (let i = 0; i < 2; i++) expect((await attempt(browserWith(policies), client, (await seedUser()).email, "wrong", ip)).status).toBe(401)
    const user = await seedUser()
    const refused = await attempt(browserWith(policies), client, user.email, user.password, ip)
    expect(refused.status).toBe(429)
    expect(refused.headers.get("ratelimit-limit")).toBe("2")
    expect((await attempt(browserWith(policies), client, user.email, user.password, freshIp())).status).toBe(303)
  })
})

describe("Password sign-in fails CLOSED when the limiter is unreachable (README 'Rate limiting')", () => {
  it("answers 503 with Retry-After without checking the password, and keeps the transaction for a later try", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const form = await loginForm(browser, client)
    const body = new URLSearchParams({ ...form, email: user.email, password: user.password }).toString()
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
    // Signed in: the answer is the RP's consent page (issue 10: rendered, not redirected to), with the session cookie.
    expect(back.status).toBe(200)
    expect(back.headers.getSetCookie().some((c) => c.startsWith("__Host-authrim_session="))).toBe(true)
  })

  it("fails closed without a client IP too (the account's delay cannot be read)", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const form = await loginForm(browser, client)
    const down = await worker.fetch(new Request("https://op.test/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      body: new URLSearchParams({ ...form, email: user.email, password: user.password }).toString(),
      redirect: "manual"
    }) as Parameters<typeof worker.fetch>[0], { ...env, RATELIMIT: env.RATELIMIT_UNREACHABLE })
    expect(down.status).toBe(503)
    expect(down.headers.get("retry-after")).toBe("30")
  })
})

describe("DEVICE_COOKIE_SECRET is required (no default in the source)", () => {
  it("without it password sign-in answers a 503 page naming the setting, and checks no password", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const unconfigured = { ...env }
    delete (unconfigured as { DEVICE_COOKIE_SECRET?: string }).DEVICE_COOKIE_SECRET
    const browser = new Browser((request) => worker.fetch(request as Parameters<typeof worker.fetch>[0], unconfigured))
    const response = await attempt(browser, client, user.email, user.password, freshIp())
    expect(response.status).toBe(503)
    expect(await response.text()).toContain("DEVICE_COOKIE_SECRET")
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false)
  })
})
