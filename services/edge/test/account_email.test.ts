/**
 * Email change through the edge (issue 9 §3): `/account/email` with step-up,
 * a single-use link to the NEW address, the old address told, the same answer
 * for a taken address (no enumeration) and a link that then fails clearly.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { latestMailedLink, onProvider } from "./support/email_flows.ts"
import { seedUser } from "./support/fixtures.ts"
import { accountBrowser } from "./support/passkey_flows.ts"
import { followToStepUp, mailSubjects, staleBrowser, submitStepUpPassword } from "./support/step_up_flows.ts"

const newAddress = () => `new-${crypto.randomUUID().slice(0, 8)}@example.test`

const emailOf = async (userId: string) => {
  const result = await env.IDENTITY.getUser({ userId })
  if (result._tag !== "Success") throw new Error("getUser failed")
  return result.value
}

/** Asks for the change on the form; returns the answer. */
const askChange = async (browser: Browser, email: string) => {
  const page = await browser.request("/account/email")
  expect(page.status).toBe(200)
  const form = parseForm(await page.text())!
  expect(form.action).toBe("/account/email")
  return browser.post(form.action, { ...form.fields, email })
}

/** The link mailed to `email`, as a path on the provider. */
const mailedLink = async (email: string) => {
  const link = await latestMailedLink(email)
  expect(link).not.toBeNull()
  const path = onProvider(link!)
  expect(path).toMatch(/^\/account\/email\/verify\?token=/)
  return path
}

describe("Email change — /account/email", () => {
  it("a fresh session asks, the link to the new address changes it once, the old address is told", async () => {
    const user = await seedUser()
    const browser = await accountBrowser(user)
    const target = newAddress()
    const sent = await askChange(browser, target)
    expect(sent.status).toBe(200)
    expect(await sent.text()).toContain("Check your new inbox")
    expect((await emailOf(user.id)).email).toBe(user.email)
    expect((await mailSubjects(user.email))[0]).toBe("A change of your email address was requested")

    const link = await mailedLink(target)
    // Any browser may open it: the link is the proof of the new address.
    const opened = await new Browser().request(link)
    expect(opened.status).toBe(200)
    expect(await opened.text()).toContain(target)
    expect(await emailOf(user.id)).toMatchObject({ email: target, emailVerified: true })
    expect((await mailSubjects(user.email))[0]).toBe("Your email address was changed")
    expect((await env.IDENTITY.authenticatePassword({ email: target, password: user.password }))._tag).toBe("Success")
    expect((await env.IDENTITY.authenticatePassword({ email: user.email, password: user.password }))._tag).toBe("Failure")

    const again = await new Browser().request(link)
    expect(again.status).toBe(400)
    expect(await again.text()).toContain("expired or was already used")
  })

  it("an old session is sent to re-authenticate first and nothing is mailed; afterwards the request goes out", async () => {
    const user = await seedUser()
    const { browser } = await staleBrowser(user)
    const target = newAddress()
    const detour = await askChange(browser, target)
    const stepUp = await followToStepUp(browser, detour)
    expect(await latestMailedLink(target)).toBeNull()
    const back = await submitStepUpPassword(browser, stepUp, user.password)
    expect(back.headers.get("location")).toBe("/account/email")
    expect((await askChange(browser, target)).status).toBe(200)
    expect(await latestMailedLink(target)).not.toBeNull()
  })

  it("an expired link fails and changes nothing", async () => {
    const user = await seedUser()
    const target = newAddress()
    await askChange(await accountBrowser(user), target)
    const link = await mailedLink(target)
    await env.DB.prepare("UPDATE email_change_tokens SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 1, user.id).run()
    const opened = await new Browser().request(link)
    expect(opened.status).toBe(400)
    expect((await emailOf(user.id)).email).toBe(user.email)
  })

  it("a taken address gets the same answer as a free one, and its link fails clearly (409), nothing changes", async () => {
    const user = await seedUser()
    const other = await seedUser()
    const browser = await accountBrowser(user)
    const free = await askChange(browser, newAddress())
    const taken = await askChange(browser, other.email)
    expect(taken.status).toBe(free.status)
    expect(await taken.text()).toBe(await free.text())
    const opened = await new Browser().request(await mailedLink(other.email))
    expect(opened.status).toBe(409)
    expect(await opened.text()).toContain("already used by another account")
    expect((await emailOf(user.id)).email).toBe(user.email)
    expect((await emailOf(other.id)).email).toBe(other.email)
  })

  it("an address taken between the request and the link fails the same way", async () => {
    const user = await seedUser()
    const target = newAddress()
    await askChange(await accountBrowser(user), target)
    const link = await mailedLink(target)
    await env.IDENTITY_SEED.upsertUser({ email: target, password: "someone-else-1", name: null, emailVerified: true })
    expect((await new Browser().request(link)).status).toBe(409)
    expect((await emailOf(user.id)).email).toBe(user.email)
  })

  it("refuses a form without the CSRF cookie's token, a non-address and the current address (400)", async () => {
    const user = await seedUser()
    const browser = await accountBrowser(user)
    expect((await browser.post("/account/email", { email: newAddress() })).status).toBe(400)
    expect((await askChange(browser, "not-an-address")).status).toBe(400)
    const same = await askChange(browser, user.email.toUpperCase())
    expect(same.status).toBe(400)
    expect(await same.text()).toContain("already your email address")
    expect((await new Browser().request("/account/email/verify")).status).toBe(400)
    expect((await new Browser().request("/account/email/verify?token=forged")).status).toBe(400)
  })

  it("a signed-out browser is sent to sign in and comes back to the form", async () => {
    const browser = new Browser()
    const redirect = await browser.request("/account/email")
    expect(redirect.status).toBe(303)
    expect(redirect.headers.get("location")).toMatch(/^\/login\?tx=/)
  })

  it("RACE: 20 concurrent opens of one link → exactly one 200, the rest 400", async () => {
    const user = await seedUser()
    const target = newAddress()
    await askChange(await accountBrowser(user), target)
    const link = await mailedLink(target)
    const responses = await Promise.all(Array.from({ length: 20 }, () => new Browser().request(link)))
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1)
    expect(responses.filter((r) => r.status === 400)).toHaveLength(19)
    expect((await emailOf(user.id)).email).toBe(target)
  })
})
