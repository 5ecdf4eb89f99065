import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { latestMailedLink, onProvider, requestPasswordReset, submitResetLink } from "./support/email_flows.ts"
import { seedUser, type SeededUser } from "./support/fixtures.ts"

/** True when email + password sign in (through the identity service the login page uses). */
const signsIn = async (email: string, password: string) => (await env.IDENTITY.authenticatePassword({ email, password }))._tag === "Success"

/** Signs `user` in to the provider itself by opening `/account/password` (login → back to the page). */
const signInToAccount = async (browser: Browser, user: Pick<SeededUser, "email" | "password">) => {
  const toLogin = await browser.request("/account/password")
  expect(toLogin.status).toBe(303)
  expect(toLogin.headers.get("location")).toMatch(/^\/login\?tx=/)
  const loginPage = await browser.follow(toLogin)
  const form = parseForm(await loginPage.text())!
  const afterLogin = await browser.post(form.action, { ...form.fields, email: user.email, password: user.password })
  expect(afterLogin.status).toBe(303)
  expect(afterLogin.headers.get("location")).toBe("/account/password")
  return browser.follow(afterLogin)
}

const mailedResetLink = async (browser: Browser, email: string) => {
  const sent = await requestPasswordReset(browser, email)
  expect(sent.status).toBe(200)
  expect(await sent.text()).toContain("Check your email")
  const link = await latestMailedLink(email)
  expect(link).not.toBeNull()
  return onProvider(link!)
}

describe("Password reset — end to end through the dev outbox", () => {
  it("sets the new password once, the old one stops working, and every session ends", async () => {
    const user = await seedUser()
    const signedIn = new Browser()
    expect((await signInToAccount(signedIn, user)).status).toBe(200)

    const link = await mailedResetLink(new Browser(), user.email)
    expect(link).toMatch(/^\/password\/reset\?token=/)
    const browser = new Browser()
    const done = await submitResetLink(browser, link, "brand-new-password-1")
    expect(done.status).toBe(200)
    expect(await done.text()).toContain("Password changed")
    expect(await signsIn(user.email, "brand-new-password-1")).toBe(true)
    expect(await signsIn(user.email, user.password)).toBe(false)

    // The session opened with the old password is gone: the account page asks to sign in again.
    expect((await signedIn.request("/account/password")).status).toBe(303)

    const reused = await submitResetLink(browser, link, "another-password-2")
    expect(reused.status).toBe(400)
    expect(await reused.text()).toContain("expired or was already used")
    expect(await signsIn(user.email, "brand-new-password-1")).toBe(true)
  })

  it("an expired token is rejected (expiry moved into the past in D1)", async () => {
    const user = await seedUser()
    const link = await mailedResetLink(new Browser(), user.email)
    await env.DB.prepare("UPDATE password_reset_tokens SET expires_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)")
      .bind(Date.now() - 1, user.email).run()
    const response = await submitResetLink(new Browser(), link, "brand-new-password-1")
    expect(response.status).toBe(400)
    expect(await response.text()).toContain("expired or was already used")
    expect(await signsIn(user.email, user.password)).toBe(true)
  })

  it("an unknown address gets the same answer and nothing is sent", async () => {
    const user = await seedUser()
    const known = await requestPasswordReset(new Browser(), user.email)
    const email = `nobody-${crypto.randomUUID()}@example.test`
    const unknown = await requestPasswordReset(new Browser(), email)
    expect(unknown.status).toBe(known.status)
    expect(await unknown.text()).toBe(await known.text())
    expect(await latestMailedLink(email)).toBeNull()
  })

  it("mismatched or too-short passwords re-show the form and keep the token usable", async () => {
    const user = await seedUser()
    const link = await mailedResetLink(new Browser(), user.email)
    const browser = new Browser()
    const mismatch = await submitResetLink(browser, link, "brand-new-password-1", "something-else-2")
    expect(mismatch.status).toBe(400)
    expect(await mismatch.text()).toContain("do not match")
    const short = await submitResetLink(browser, link, "short")
    expect(short.status).toBe(400)
    expect(await short.text()).toContain("at least 8")
    expect((await submitResetLink(browser, link, "brand-new-password-1")).status).toBe(200)
  })

  it("refuses a reset post without the CSRF double submit", async () => {
    const user = await seedUser()
    const link = await mailedResetLink(new Browser(), user.email)
    const token = new URL(link, "https://op.test").searchParams.get("token")!
    const response = await new Browser().post("/password/reset", { token, password: "brand-new-password-1", confirm: "brand-new-password-1" })
    expect(response.status).toBe(400)
    expect(await signsIn(user.email, user.password)).toBe(true)
  })
})

describe("Password change — /account/password", () => {
  it("needs a session: without one it starts a sign-in that returns to the page", async () => {
    const user = await seedUser()
    const page = await signInToAccount(new Browser(), user)
    expect(page.status).toBe(200)
    expect(parseForm(await page.text())?.action).toBe("/account/password")
  })

  it("requires the current password; then changes it and ends the user's other sessions only", async () => {
    const user = await seedUser()
    const other = new Browser()
    await signInToAccount(other, user)
    const browser = new Browser()
    const page = await signInToAccount(browser, user)
    const form = parseForm(await page.text())!

    const wrong = await browser.post(form.action, { ...form.fields, current: "not-my-password", password: "brand-new-password-1", confirm: "brand-new-password-1" })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain("current password is not correct")
    expect(await signsIn(user.email, user.password)).toBe(true)

    const done = await browser.post(form.action, { ...form.fields, current: user.password, password: "brand-new-password-1", confirm: "brand-new-password-1" })
    expect(done.status).toBe(200)
    expect(await signsIn(user.email, "brand-new-password-1")).toBe(true)
    expect(await signsIn(user.email, user.password)).toBe(false)
    expect((await browser.request("/account/password")).status).toBe(200)
    expect((await other.request("/account/password")).status).toBe(303)
  })

  it("refuses a post without the CSRF token", async () => {
    const user = await seedUser()
    const browser = new Browser()
    await signInToAccount(browser, user)
    const response = await browser.post("/account/password", { current: user.password, password: "brand-new-password-1", confirm: "brand-new-password-1" })
    expect(response.status).toBe(400)
    expect(await signsIn(user.email, user.password)).toBe(true)
  })
})
