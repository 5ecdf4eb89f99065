/**
 * Issue 12 §4: `POST /account/profile` — the signed-in user edits their own
 * standard claims; the change is what /userinfo releases next; bad values and
 * a missing CSRF token are refused; nobody edits another user's profile.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedUser, type SeededUser } from "./support/fixtures.ts"
import { submitLoginForm } from "./support/flows.ts"

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""

const signedIn = async (user: SeededUser) => {
  const browser = new Browser()
  const back = await submitLoginForm(browser, await browser.follow(await browser.request("/account")), user)
  const html = await (await browser.follow(back)).text()
  return { browser, csrf: csrfOf(html) }
}

const profileOf = async (userId: string) => {
  const result = await env.IDENTITY.getUserProfile({ userId })
  if (result._tag !== "Success") throw new Error(JSON.stringify(result.error))
  return result.value
}

describe("Account page — editing the standard claims (POST /account/profile)", () => {
  it("saves the submitted claims (empty clears, absent keeps) and returns to /account", async () => {
    const user = await seedUser()
    const { browser, csrf } = await signedIn(user)
    const saved = await browser.post("/account/profile", {
      csrf, given_name: "Kenji", locale: "ja-JP", zoneinfo: "Asia/Tokyo", "address.locality": "Osaka", "address.country": "JP", nickname: ""
    })
    expect(saved.status).toBe(303)
    expect(saved.headers.get("location")).toBe("/account?profile=saved")
    expect(await profileOf(user.id)).toMatchObject({ given_name: "Kenji", locale: "ja-JP", zoneinfo: "Asia/Tokyo", nickname: null, name: "Test User", address: { locality: "Osaka", country: "JP" } })
  })

  it("a bad value is a 400 page naming the field, and nothing changes", async () => {
    const user = await seedUser()
    const { browser, csrf } = await signedIn(user)
    for (const [field, value] of [["birthdate", "1990-02-30"], ["locale", "ja_JP"], ["website", "http://example.com"], ["phone_number", "090-1234-5678"]] as const) {
      const refused = await browser.post("/account/profile", { csrf, [field]: value })
      expect(refused.status).toBe(400)
      expect(await refused.text()).toContain(field)
    }
    expect(await profileOf(user.id)).toMatchObject({ birthdate: null, locale: null, website: null, phone_number: null })
  })

  it("without the CSRF token or a session nothing is saved", async () => {
    const user = await seedUser()
    const { browser } = await signedIn(user)
    expect((await browser.post("/account/profile", { csrf: "forged", given_name: "Mallory" })).status).toBe(400)
    const anonymous = await new Browser().post("/account/profile", { csrf: "x", given_name: "Mallory" })
    expect(anonymous.status).toBe(303)
    expect((await profileOf(user.id)).given_name).toBeNull()
  })
})
