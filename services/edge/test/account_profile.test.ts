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

  const postJa = (browser: Browser, fields: Record<string, string>) =>
    browser.request("/account/profile", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "ja" },
      body: new URLSearchParams(fields).toString()
    })

  it("GET /account/profile shows the current values escaped, with labels; the account page links to it and says when it was saved", async () => {
    const user = await seedUser()
    const { browser, csrf } = await signedIn(user)
    const nick = `<script>alert("x")</script>`
    expect((await browser.post("/account/profile", { csrf, nickname: nick, website: "https://example.com/?a=1&b=2", "address.locality": "Osaka" })).status).toBe(303)
    const account = await (await browser.request("/account?profile=saved")).text()
    expect(account).toContain(`href="/account/profile"`)
    expect(account).toContain("Your profile was saved.")
    const page = await browser.request("/account/profile")
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).not.toContain("<script>")
    expect(html).toContain(`name="nickname" value="&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt;"`)
    expect(html).toContain(`value="https:&#x2F;&#x2F;example.com&#x2F;?a=1&amp;b=2"`)
    expect(html).toContain(`<label for="address-locality">City</label><input id="address-locality" type="text" name="address.locality" value="Osaka"`)
    expect(html).toContain(`<label for="birthdate">Date of birth</label>`)
    expect(html).not.toContain("phone_number_verified")
    expect(html).toMatch(/name="csrf" value="[^"]+"/)
    const anonymous = await new Browser().request("/account/profile")
    expect(anonymous.status).toBe(303)
  })

  it("a refused value comes back as the form (400) with the message next to its field, the typed values kept", async () => {
    const user = await seedUser()
    const { browser, csrf } = await signedIn(user)
    const refused = await browser.post("/account/profile", { csrf, given_name: "Kenji", birthdate: "1990-13-40" })
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain(`id="birthdate" type="text" name="birthdate" value="1990-13-40" autocomplete="bday" aria-invalid="true" aria-describedby="birthdate-hint birthdate-error">`)
    expect(html).toContain(`<p class="error" id="birthdate-error" role="alert">Enter a real date as YYYY-MM-DD, or a year as YYYY.</p>`)
    expect(html).toContain(`name="given_name" value="Kenji"`)
    const website = await (await browser.post("/account/profile", { csrf, website: "http://example.com" })).text()
    expect(website).toContain(`<p class="error" id="website-error" role="alert">Enter an absolute https:&#x2F;&#x2F; address.</p>`)
    expect((await profileOf(user.id)).given_name).toBeNull()
  })

  it("in Japanese (Accept-Language): the labels, the refusal next to the field and the saved notice", async () => {
    const user = await seedUser()
    const { browser, csrf } = await signedIn(user)
    const page = await (await browser.request("/account/profile", { headers: { "accept-language": "ja" } })).text()
    expect(page).toContain(`<html lang="ja">`)
    expect(page).toContain(`<label for="family_name">姓</label>`)
    expect(page).toContain("プロフィールを保存")
    const refused = await postJa(browser, { csrf, birthdate: "1990-13-40" })
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain(`<html lang="ja">`)
    expect(html).toContain(`id="birthdate-error" role="alert">実在する日付を YYYY-MM-DD 形式で`)
    const phone = await (await postJa(browser, { csrf, phone_number: "090-1234-5678" })).text()
    expect(phone).toContain(`id="phone_number-error" role="alert">+81312345678 のような国際形式で入力してください。`)
    expect((await postJa(browser, { csrf, given_name: "健二" })).status).toBe(303)
    const account = await (await browser.request("/account?profile=saved", { headers: { "accept-language": "ja" } })).text()
    expect(account).toContain("プロフィールを保存しました。")
  })
})
