/**
 * Password reset (issue 9 §3): the reset form offers to remove every passkey
 * and TOTP (checkbox, default off) — done in the same operation as the reset —
 * and every reset is notified to the user.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { latestMailedLink, onProvider, requestPasswordReset, submitResetLink } from "./support/email_flows.ts"
import { seedUser, type SeededUser } from "./support/fixtures.ts"
import { registerPasskey } from "./support/passkey_flows.ts"
import { SoftwareAuthenticator } from "./support/software_authenticator.ts"
import { mailSubjects } from "./support/step_up_flows.ts"
import { enrolTotp, signInToAccountTotp } from "./support/totp_flows.ts"

const secondFactors = async (userId: string) => {
  const passkeys = await env.IDENTITY.listPasskeys({ userId })
  const mfa = await env.IDENTITY.getMfaStatus({ userId })
  if (passkeys._tag !== "Success" || mfa._tag !== "Success") throw new Error("identity read failed")
  return { passkeys: passkeys.value.passkeys.length, totp: mfa.value.totpEnabled }
}

/** A user with TOTP (enrolled on the account page) and a passkey. */
const userWithSecondFactors = async (): Promise<SeededUser> => {
  const user = await seedUser()
  const browser = new Browser()
  await signInToAccountTotp(browser, user)
  await enrolTotp(browser)
  await registerPasskey(user.id, new SoftwareAuthenticator(), "Phone")
  expect(await secondFactors(user.id)).toEqual({ passkeys: 1, totp: true })
  return user
}

const resetLink = async (email: string) => {
  await requestPasswordReset(new Browser(), email)
  return onProvider((await latestMailedLink(email))!)
}

describe("Password reset — removing passkeys and TOTP, and the notice", () => {
  it("the checkbox is offered, off by default", async () => {
    const user = await seedUser()
    const html = await (await new Browser().request(await resetLink(user.email))).text()
    expect(html).toMatch(/<input id="remove_second_factors" type="checkbox" name="remove_second_factors" value="on">/)
    expect(html).not.toMatch(/name="remove_second_factors"[^>]*checked/)
    expect(html).toContain("<label for=\"remove_second_factors\"")
  })

  it("unchecked: the reset keeps passkeys and TOTP, and the user is notified", async () => {
    const user = await userWithSecondFactors()
    const done = await submitResetLink(new Browser(), await resetLink(user.email), "brand-new-password-1")
    expect(done.status).toBe(200)
    expect(await secondFactors(user.id)).toEqual({ passkeys: 1, totp: true })
    expect((await mailSubjects(user.email))[0]).toBe("Your password was reset")
  })

  it("checked: the reset removes every passkey and TOTP", async () => {
    const user = await userWithSecondFactors()
    const browser = new Browser()
    const page = await browser.request(await resetLink(user.email))
    const form = parseForm(await page.text())!
    const done = await browser.post(form.action, { ...form.fields, password: "brand-new-password-1", confirm: "brand-new-password-1", remove_second_factors: "on" })
    expect(done.status).toBe(200)
    expect(await secondFactors(user.id)).toEqual({ passkeys: 0, totp: false })
    expect((await env.IDENTITY.authenticatePassword({ email: user.email, password: "brand-new-password-1" }))._tag).toBe("Success")
    expect((await mailSubjects(user.email))[0]).toBe("Your password was reset")
  })

  it("checked with a password the policy refuses: nothing is removed and the link stays usable", async () => {
    const user = await userWithSecondFactors()
    const browser = new Browser()
    const link = await resetLink(user.email)
    const page = await browser.request(link)
    const form = parseForm(await page.text())!
    const refused = await browser.post(form.action, { ...form.fields, password: "short", confirm: "short", remove_second_factors: "on" })
    expect(refused.status).toBe(400)
    expect(await secondFactors(user.id)).toEqual({ passkeys: 1, totp: true })
    expect((await submitResetLink(new Browser(), link, "brand-new-password-1")).status).toBe(200)
  })
})
