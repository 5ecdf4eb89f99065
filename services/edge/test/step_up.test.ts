/**
 * Step-up for account security changes (issue 9 §3; OWASP ASVS 4 V3.7.1):
 * every changing POST of /account/passkeys, /account/totp, /account/password
 * and /account/email needs a sign-in from the last STEP_UP_MAX_AGE_SECONDS
 * (default 300 s). Old sessions are made with an old `authTime` through the
 * session service (no sleeping).
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { stepUpSettingsFor } from "../src/account/step_up_settings.ts"
import { CSRF_COOKIE, SESSION_COOKIE } from "../src/http/cookies.ts"
import { Browser, parseForm } from "./support/browser.ts"
import { seedUser, type SeededUser } from "./support/fixtures.ts"
import { accountBrowser, addPasskeyOnAccountPage, embeddedOptions, registerPasskey, submitAssertion } from "./support/passkey_flows.ts"
import { SoftwareAuthenticator } from "./support/software_authenticator.ts"
import { followToStepUp, mailSubjects, sessionFacts, staleBrowser, submitStepUpPassword } from "./support/step_up_flows.ts"
import { enrolTotp } from "./support/totp_flows.ts"
import { latestMailedLink, onProvider, requestMagicLink } from "./support/email_flows.ts"

const signsIn = async (email: string, password: string) => (await env.IDENTITY.authenticatePassword({ email, password }))._tag === "Success"

const passkeysOf = async (userId: string) => {
  const result = await env.IDENTITY.listPasskeys({ userId })
  if (result._tag !== "Success") throw new Error("listPasskeys failed")
  return result.value.passkeys
}

const mfaStatus = async (userId: string) => {
  const result = await env.IDENTITY.getMfaStatus({ userId })
  if (result._tag !== "Success") throw new Error("getMfaStatus failed")
  return result.value
}

/** Posts the first form of `path` with extra fields. */
const postPageForm = async (browser: Browser, path: string, fields: Record<string, string>) => {
  const page = await browser.request(path)
  expect(page.status).toBe(200)
  const form = parseForm(await page.text())!
  return browser.post(form.action, { ...form.fields, ...fields })
}

/** Expects a renewed session: same id, auth time now, and the method's amr. */
const expectRenewed = async (sessionId: string, amr: string) => {
  const session = await sessionFacts(sessionId)
  expect(Date.now() - session.authTime).toBeLessThan(60_000)
  expect(session.amr).toContain(amr)
}

describe("Step-up — an old session re-authenticates before a password change", () => {
  it("is sent to re-authenticate (nothing changed); the password brings it back to the page with the same session renewed; then the change succeeds and is notified", async () => {
    const user = await seedUser()
    const { browser, sessionId, cookie } = await staleBrowser(user)
    const change = { current: user.password, password: "brand-new-password-1", confirm: "brand-new-password-1" }

    // GET shows the page (read-only) without step-up; the POST does not change anything.
    const detour = await postPageForm(browser, "/account/password", change)
    expect(await signsIn(user.email, user.password)).toBe(true)
    const stepUp = await followToStepUp(browser, detour)
    expect(stepUp).toContain(user.email)
    expect(stepUp).not.toContain("Sign in with a passkey")

    const back = await submitStepUpPassword(browser, stepUp, user.password)
    expect(back.status).toBe(303)
    expect(back.headers.get("location")).toBe("/account/password")
    // The same session (and cookie) was renewed, no new session was opened.
    expect(back.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false)
    expect(browser.cookies.get(SESSION_COOKIE)).toBe(cookie)
    await expectRenewed(sessionId, "pwd")

    const done = await postPageForm(browser, "/account/password", change)
    expect(done.status).toBe(200)
    expect(await done.text()).toContain("Password changed")
    expect(await signsIn(user.email, "brand-new-password-1")).toBe(true)
    expect((await mailSubjects(user.email))[0]).toBe("Your password was changed")
  })

  it("a fresh session changes directly, and the wrong current password still fails", async () => {
    const user = await seedUser()
    const browser = await accountBrowser(user)
    const wrong = await postPageForm(browser, "/account/password", { current: "nope-nope-1", password: "brand-new-password-1", confirm: "brand-new-password-1" })
    expect(wrong.status).toBe(401)
    const done = await postPageForm(browser, "/account/password", { current: user.password, password: "brand-new-password-1", confirm: "brand-new-password-1" })
    expect(done.status).toBe(200)
  })

  it("the password and email forms of an old session say a confirmation comes first; a fresh session's do not", async () => {
    const user = await seedUser()
    const notice = "you will be asked to confirm it's you"
    const { browser: stale } = await staleBrowser(user)
    const fresh = await accountBrowser(user)
    for (const page of ["/account/password", "/account/email"]) {
      const staleHtml = await (await stale.request(page)).text()
      expect(staleHtml).toContain(notice)
      expect(staleHtml).toContain("more than 5 minutes ago")
      expect(await (await fresh.request(page)).text()).not.toContain(notice)
    }
  })

  it("a session one second past STEP_UP_MAX_AGE_SECONDS is old; one a few seconds inside it is not", async () => {
    const user = await seedUser()
    const outside = await staleBrowser(user, 301_000)
    expect((await postPageForm(outside.browser, "/account/email", { email: `x-${crypto.randomUUID()}@example.test` })).status).toBe(303)
    const inside = await staleBrowser(user, 290_000)
    expect((await postPageForm(inside.browser, "/account/email", { email: `x-${crypto.randomUUID()}@example.test` })).status).toBe(200)
  })

  it("re-authenticating as another account is refused and renews nothing", async () => {
    const user = await seedUser()
    const other = await seedUser()
    const { browser, sessionId } = await staleBrowser(user)
    const before = (await sessionFacts(sessionId)).authTime
    const stepUp = await followToStepUp(browser, await postPageForm(browser, "/account/password", { current: user.password, password: "x-password-12", confirm: "x-password-12" }))
    const refused = await submitStepUpPassword(browser, stepUp, other.password, { email: other.email })
    expect(refused.status).toBe(403)
    expect((await sessionFacts(sessionId)).authTime).toBe(before)
    expect(browser.cookies.get(SESSION_COOKIE)).not.toBeUndefined()
  })

  it("RACE: 10 concurrent password posts of one step-up → exactly one returns to the page", async () => {
    const user = await seedUser()
    const { browser } = await staleBrowser(user)
    const stepUp = await followToStepUp(browser, await postPageForm(browser, "/account/password", { current: user.password, password: "x-password-12", confirm: "x-password-12" }))
    const responses = await Promise.all(Array.from({ length: 10 }, () => submitStepUpPassword(browser, stepUp, user.password)))
    expect(responses.filter((r) => r.status === 303 && r.headers.get("location") === "/account/password")).toHaveLength(1)
    expect(responses.filter((r) => r.status >= 500)).toHaveLength(0)
  })
})

describe("Step-up — passkeys", () => {
  it("passkey add on an old session is not made; after re-authentication it is, and notified", async () => {
    const user = await seedUser()
    const { browser, sessionId } = await staleBrowser(user)
    const authenticator = new SoftwareAuthenticator()
    const detour = await addPasskeyOnAccountPage(browser, authenticator, "Laptop")
    expect(await passkeysOf(user.id)).toEqual([])
    const back = await submitStepUpPassword(browser, await followToStepUp(browser, detour), user.password)
    expect(back.headers.get("location")).toBe("/account/passkeys")
    await expectRenewed(sessionId, "pwd")
    const added = await addPasskeyOnAccountPage(browser, authenticator, "Laptop")
    expect(added.status).toBe(303)
    expect(added.headers.get("location")).toBe("/account/passkeys")
    expect((await passkeysOf(user.id)).map((p) => p.name)).toEqual(["Laptop"])
    expect((await mailSubjects(user.email))[0]).toBe("A passkey was added to your account")
  })

  it("an account with a passkey: the step-up page offers only the passkey, the password is refused, the passkey renews the session and the removal succeeds", async () => {
    const user = await seedUser()
    const authenticator = new SoftwareAuthenticator()
    const key = await registerPasskey(user.id, authenticator, "Phone")
    const { browser, sessionId } = await staleBrowser(user)
    const before = (await sessionFacts(sessionId)).authTime

    const page = await (await browser.request("/account/passkeys")).text()
    const csrf = parseForm(page)!.fields.csrf!
    const detour = await browser.post("/account/passkeys", { csrf, action: "remove", credentialId: key.credentialId })
    expect((await passkeysOf(user.id)).map((p) => p.credentialId)).toEqual([key.credentialId])
    const stepUp = await followToStepUp(browser, detour)
    expect(stepUp).not.toContain("name=\"password\"")
    const link = /href="(\/login\/passkey\?tx=[^"]+)"/.exec(stepUp)![1]!.replace(/&amp;/g, "&").replace(/&#x2F;/g, "/")
    const tx = new URL(link, "https://op.test").searchParams.get("tx")!

    // The password alone does not do for an account that has a passkey (refused before it is even checked).
    const refused = await browser.post("/login", { tx, csrf: browser.cookies.get(CSRF_COOKIE) ?? "", email: user.email, password: user.password })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain("confirm with the passkey")
    expect((await sessionFacts(sessionId)).authTime).toBe(before)

    const passkeyPage = await browser.request(link)
    expect(passkeyPage.status).toBe(200)
    const { response } = await submitAssertion(browser, await passkeyPage.text(), authenticator)
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe("/account/passkeys")
    const renewed = await sessionFacts(sessionId)
    expect(renewed.authTime).toBeGreaterThan(before)
    expect(renewed.amr.some((v) => v === "hwk" || v === "swk")).toBe(true)

    const removed = await browser.post("/account/passkeys", { csrf, action: "remove", credentialId: key.credentialId })
    expect(removed.status).toBe(303)
    expect(removed.headers.get("location")).toBe("/account/passkeys")
    expect(await passkeysOf(user.id)).toEqual([])
    expect((await mailSubjects(user.email))[0]).toBe("A passkey was removed from your account")
  })

  it("an account with a passkey cannot step up with a weaker method through another page (email link): refused at the end, nothing renewed", async () => {
    const user = await seedUser()
    await registerPasskey(user.id, new SoftwareAuthenticator(), "Phone")
    const { browser, sessionId } = await staleBrowser(user)
    const before = (await sessionFacts(sessionId)).authTime
    const stepUp = await followToStepUp(browser, await postPageForm(browser, "/account/password", { current: user.password, password: "x-password-12", confirm: "x-password-12" }))
    const tx = new URL(/href="(\/login\/passkey\?tx=[^"]+)"/.exec(stepUp)![1]!.replace(/&amp;/g, "&"), "https://op.test").searchParams.get("tx")!
    expect((await requestMagicLink(browser, tx, user.email)).status).toBe(200)
    const finished = await browser.request(onProvider((await latestMailedLink(user.email))!))
    expect(finished.status).toBe(403)
    expect(await finished.text()).toContain("confirm with the passkey")
    expect((await sessionFacts(sessionId)).authTime).toBe(before)
  })

  it("renaming is not a security change: an old session may rename", async () => {
    const user = await seedUser()
    const key = await registerPasskey(user.id, new SoftwareAuthenticator(), "Phone")
    const { browser } = await staleBrowser(user)
    const page = await (await browser.request("/account/passkeys")).text()
    expect(embeddedOptions(page)).toHaveProperty("challenge")
    const renamed = await browser.post("/account/passkeys", { csrf: parseForm(page)!.fields.csrf!, action: "rename", credentialId: key.credentialId, name: "Work" })
    expect(renamed.headers.get("location")).toBe("/account/passkeys")
    expect((await passkeysOf(user.id)).map((p) => p.name)).toEqual(["Work"])
  })
})

describe("Step-up — TOTP", () => {
  /** Re-authenticates a TOTP user through a step-up: password, then `code`; returns the final redirect. */
  const passwordAndCode = async (browser: Browser, detour: Response, user: SeededUser, code: string) => {
    const afterPassword = await submitStepUpPassword(browser, await followToStepUp(browser, detour), user.password)
    expect(afterPassword.status).toBe(303)
    expect(afterPassword.headers.get("location")).toMatch(/^\/login\/totp\?mfa=/)
    const codePage = await (await browser.follow(afterPassword)).text()
    const form = parseForm(codePage)!
    return browser.post(form.action, { ...form.fields, code })
  }

  it("enrolment needs a recent sign-in; disable and new recovery codes too (password + TOTP), each change notified", async () => {
    const user = await seedUser()
    const old = await staleBrowser(user)
    const detour = await postPageForm(old.browser, "/account/totp", {})
    expect((await mfaStatus(user.id)).totpPending).toBe(false)
    const back = await submitStepUpPassword(old.browser, await followToStepUp(old.browser, detour), user.password)
    expect(back.headers.get("location")).toBe("/account/totp")
    const { app, recoveryCodes } = await enrolTotp(old.browser)
    expect((await mfaStatus(user.id)).totpEnabled).toBe(true)
    expect((await mailSubjects(user.email))[0]).toBe("Two-step verification is on")

    // Another, old session of the same user: regenerate and disable are both refused until a re-authentication.
    const second = await staleBrowser(user)
    const statusPage = await (await second.browser.request("/account/totp")).text()
    const csrf = parseForm(statusPage)!.fields.csrf!
    expect(statusPage).toContain("value=\"regenerate\"")
    const regenerateDetour = await second.browser.post("/account/totp", { csrf, action: "regenerate" })
    expect(regenerateDetour.headers.get("location")).toMatch(/^\/login\?tx=/)
    const disableDetour = await second.browser.post("/account/totp", { csrf, action: "disable", code: recoveryCodes[0]! })
    expect(disableDetour.headers.get("location")).toMatch(/^\/login\?tx=/)
    expect(await mfaStatus(user.id)).toMatchObject({ totpEnabled: true, recoveryCodesLeft: 10 })

    // Password alone is not the account's strongest method: the TOTP step follows, then back to the page.
    const returned = await passwordAndCode(second.browser, regenerateDetour, user, await app.code(1))
    expect(returned.status).toBe(303)
    expect(returned.headers.get("location")).toBe("/account/totp")
    await expectRenewed(second.sessionId, "otp")

    const regenerated = await second.browser.post("/account/totp", { csrf, action: "regenerate" })
    expect(regenerated.status).toBe(200)
    const fresh = [...(await regenerated.text()).matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1]!)
    expect(fresh).toHaveLength(10)
    expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false)
    expect((await mailSubjects(user.email))[0]).toBe("New recovery codes were made")

    // An old recovery code no longer works; a new one turns TOTP off.
    expect((await second.browser.post("/account/totp", { csrf, action: "disable", code: recoveryCodes[1]! })).status).toBe(401)
    const disabled = await second.browser.post("/account/totp", { csrf, action: "disable", code: fresh[0]! })
    expect(disabled.status).toBe(200)
    expect((await mfaStatus(user.id)).totpEnabled).toBe(false)
    expect((await mailSubjects(user.email))[0]).toBe("Two-step verification was turned off")
  })
})

describe("Step-up — an account with neither password nor passkey", () => {
  it("confirms with what it has (an email link): no password form, a password post is refused, the link renews the session", async () => {
    const email = `nopw-${crypto.randomUUID().slice(0, 8)}@example.test`
    const created = await env.IDENTITY_SEED.upsertUser({ email, password: null, name: null, emailVerified: true })
    if (created._tag !== "Success") throw new Error("upsertUser failed")
    const { browser, sessionId } = await staleBrowser(created.value)
    const stepUp = await followToStepUp(browser, await postPageForm(browser, "/account/email", { email: `x-${crypto.randomUUID()}@example.test` }))
    expect(stepUp).not.toContain("name=\"password\"")
    const tx = decodeURIComponent(/href="\/login\/email\?tx=([^"]+)"/.exec(stepUp)![1]!)
    const refused = await browser.post("/login", { tx, csrf: browser.cookies.get(CSRF_COOKIE) ?? "", email, password: "anything-at-all" })
    expect(refused.status).toBe(403)
    expect((await requestMagicLink(browser, tx, email)).status).toBe(200)
    const back = await browser.request(onProvider((await latestMailedLink(email))!))
    expect(back.status).toBe(303)
    expect(back.headers.get("location")).toBe("/account/email")
    await expectRenewed(sessionId, "email")
  })
})

describe("Step-up — configuration", () => {
  it("STEP_UP_MAX_AGE_SECONDS: default 300; a positive number overrides; anything else is the default", () => {
    expect(stepUpSettingsFor({})).toEqual({ maxAgeSeconds: 300 })
    expect(stepUpSettingsFor({ STEP_UP_MAX_AGE_SECONDS: "60" })).toEqual({ maxAgeSeconds: 60 })
    for (const bad of ["", "0", "-5", "soon", " "]) expect(stepUpSettingsFor({ STEP_UP_MAX_AGE_SECONDS: bad })).toEqual({ maxAgeSeconds: 300 })
  })
})
