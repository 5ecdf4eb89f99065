/**
 * Issue 12 §5: a settings change made through identity's `updateSettings`
 * (what the admin API calls) is in force on the very next request through
 * the edge. Locally every worker is one isolate and identity keeps the copy
 * it wrote, so this is exact here; production: services/identity/storage-schema.md
 * ("SETTINGS"). Each test restores what it changed.
 */
import { env } from "cloudflare:workers"
import { SettingsContractVersion, type SettingsPatch } from "@authrim/contracts"
import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, signIn, submitLoginForm } from "./support/flows.ts"

const update = async (patch: SettingsPatch) => {
  const result = await env.IDENTITY_ADMIN.updateSettings({ patch, adminUserId: "settings-test-admin" })
  if (result._tag !== "Success") throw new Error(JSON.stringify(result.error))
  return result.value
}

/** Runs `body` with `patch` in force, then puts `restore` back. */
const withSettings = async (patch: SettingsPatch, restore: SettingsPatch, body: () => Promise<void>) => {
  await update(patch)
  try {
    await body()
  } finally {
    await update(restore)
  }
}

describe("SETTINGS — the next request through the edge sees a change", () => {
  it("signInMethods.password off: the next login page has no password form, and a form shown before is refused; back on, it works", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const before = await browser.follow(await browser.request(authorizeUrl(client.clientId)))
    await withSettings({ signInMethods: { password: false } }, { signInMethods: { password: true } }, async () => {
      const page = await (await new Browser().follow(await new Browser().request(authorizeUrl(client.clientId)))).text()
      expect(page).not.toContain(`type="password"`)
      expect(page).not.toContain(`action="/login"`)
      expect(page).not.toContain("/password/forgot")
      expect(page).toContain("/login/passkey?tx=")
      // Identity enforces it too: the form the browser got before the change is refused.
      const refused = await submitLoginForm(browser, before, user)
      expect(refused.status).toBe(403)
      expect(await refused.text()).toContain("Password sign-in is turned off")
    })
    const again = await (await new Browser().follow(await new Browser().request(authorizeUrl(client.clientId)))).text()
    expect(again).toContain(`type="password"`)
    expect((await signIn(new Browser(), client, user)).searchParams.get("code")).toBeTruthy()
  })

  it("signInMethods passkey / magicLink / upstream off: their links are gone from the login page", async () => {
    const client = await seedClient()
    await withSettings({ signInMethods: { passkey: false, magicLink: false, upstream: false } }, { signInMethods: { passkey: true, magicLink: true, upstream: true } }, async () => {
      const browser = new Browser()
      const page = await (await browser.follow(await browser.request(authorizeUrl(client.clientId)))).text()
      expect(page).toContain(`type="password"`)
      expect(page).not.toContain("/login/passkey")
      expect(page).not.toContain("/login/email")
      expect(page).not.toContain("/login/upstream")
    })
  })

  it("mfaRequired: a password-only account is told to use a second factor on the next attempt", async () => {
    const client = await seedClient()
    const user = await seedUser()
    await withSettings({ mfaRequired: true }, { mfaRequired: false }, async () => {
      const browser = new Browser()
      const page = await browser.follow(await browser.request(authorizeUrl(client.clientId)))
      const refused = await submitLoginForm(browser, page, user)
      expect(refused.status).toBe(403)
      expect(await refused.text()).toContain("Two-step verification is required")
    })
  })

  it("getSettings answers the document the last write produced (version, who, values)", async () => {
    const written = await update({ openRegistration: false })
    const read = await env.IDENTITY.getSettings({})
    expect(read).toEqual({ _tag: "Success", value: written, version: SettingsContractVersion.version })
    expect(written.updatedBy).toBe("settings-test-admin")
  })
})
