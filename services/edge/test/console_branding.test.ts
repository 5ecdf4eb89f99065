/**
 * The console's branding page (`/admin/branding`, console/console_branding_page.ts):
 * labelled form over the branding document, the login page's live preview in an
 * iframe (a console route framable by 'self' only, `frame-src 'self'` on this page
 * only), field errors next to the fields for preview and save, EN/JA preview,
 * If-Match through the hidden version, and the permissions it needs.
 */
import { beforeAll, describe, expect, it } from "vitest"
import type { Browser } from "./support/browser.ts"
import { consoleAdmin, formFields, seedConsoleClient } from "./support/console_flows.ts"

beforeAll(seedConsoleClient)

const post = (browser: Browser, path: string, fields: Record<string, string>) =>
  browser.request(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() })

const FIELDS = ["productName", "logoUrl", "primaryColor", "primaryColorDark", "backgroundColor", "supportUrl", "supportEmail", "privacyPolicyUrl", "termsUrl", "footerText", "lang"]

/** The page's form as posted: hidden fields plus every branding field blank except `draft`. */
const formOf = async (browser: Browser, draft: Record<string, string>): Promise<Record<string, string>> => {
  const hidden = formFields(await (await browser.request("/admin/branding")).text(), "/admin/branding")
  return { ...hidden, ...Object.fromEntries(FIELDS.map((name) => [name, ""])), productName: "Authrim", lang: "en", ...draft }
}

describe("Console branding page", () => {
  it("every control is labelled; the preview iframe has a title; only this page may frame 'self'", async () => {
    const { browser } = await consoleAdmin(["settings:read", "settings:write"])
    const page = await browser.request("/admin/branding")
    expect(page.status).toBe(200)
    const csp = page.headers.get("content-security-policy")!
    expect(csp).toContain("frame-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toMatch(/script-src 'nonce-[\w-]+'/)
    const html = await page.text()
    for (const name of FIELDS) expect(html).toMatch(new RegExp(`<label for="f-${name}">[^<]+</label><(input|select) id="f-${name}" name="${name}"`))
    expect(html).toMatch(/<iframe id="branding-preview" title="Preview of the login page with this branding"[^>]*src="&#x2F;admin&#x2F;branding&#x2F;preview\?lang=en"/)
    expect(html).toContain(`aria-current="page">Branding</a>`)
    const settings = await browser.request("/admin/settings")
    expect(settings.headers.get("content-security-policy")).not.toContain("frame-src")
  })

  it("the preview is the login page with the draft, in English or Japanese, framable by 'self' only, and saves nothing", async () => {
    const { browser } = await consoleAdmin(["settings:read"])
    const preview = await browser.request("/admin/branding/preview?productName=Preview+Co&primaryColor=%23114477&lang=ja")
    expect(preview.status).toBe(200)
    expect(preview.headers.get("content-security-policy")).toContain("frame-ancestors 'self'")
    expect(preview.headers.get("x-frame-options")).toBe("SAMEORIGIN")
    const html = await preview.text()
    expect(html).toContain(`<html lang="ja"`)
    expect(html).toContain("Preview Co")
    expect(html).toContain("#114477")
    // Branded once, with the draft (not again with the saved branding on the way out).
    expect(html.match(/<header class="brand">/g)).toHaveLength(1)
    expect(html).toContain(`<header class="brand"><span>Preview Co</span></header>`)
    const english = await (await browser.request("/admin/branding/preview?productName=Preview+Co&lang=en")).text()
    expect(english).toContain(`<html lang="en"`)
    const page = await (await browser.request("/admin/branding")).text()
    expect(page).not.toContain("Preview Co")
  })

  it("a refused draft: the preview frame names the field; the Preview button shows the error next to the field", async () => {
    const { browser } = await consoleAdmin(["settings:read", "settings:write"])
    const frame = await browser.request("/admin/branding/preview?primaryColor=%23ffff00&lang=en")
    expect(frame.status).toBe(400)
    expect(frame.headers.get("content-security-policy")).toContain("frame-ancestors 'self'")
    expect(await frame.text()).toMatch(/data-field="primaryColor" data-reason="contrast with[^"]*4.5:1"/)
    const garbage = await browser.request("/admin/branding/preview?productName=%00%01&lang=xx")
    expect(garbage.status).toBe(400)

    const previewed = await post(browser, "/admin/branding", { ...(await formOf(browser, { productName: "Draft Co", primaryColor: "#ffff00", lang: "ja" })), intent: "preview" })
    expect(previewed.status).toBe(400)
    const html = await previewed.text()
    expect(html).toMatch(/id="f-primaryColor"[^>]*aria-invalid="true"[^>]*aria-describedby="f-primaryColor-error/)
    expect(html).toMatch(/id="f-primaryColor-error">contrast with the white card/)
    expect(html).toContain("value=\"Draft Co\"")
    expect(html).toMatch(/src="[^"]*productName=Draft\+Co[^"]*primaryColor=%23ffff00[^"]*lang=ja"/)
    const unchanged = await (await browser.request("/admin/branding")).text()
    expect(unchanged).not.toContain("Draft Co")
  })

  it("saves through If-Match: a bad value by its field, a stale version is a 412 banner, the preview then shows the saved name", async () => {
    const { browser } = await consoleAdmin(["settings:read", "settings:write"])
    const form = await formOf(browser, { productName: "Saved Co", footerText: "© 2026 Saved" })
    const bad = await post(browser, "/admin/branding", { ...form, supportUrl: "javascript:alert(1)", intent: "save" })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/id="f-supportUrl"[^>]*aria-invalid="true"/)
    const stale = await post(browser, "/admin/branding", { ...form, version: String(Number(form["version"]) + 100), intent: "save" })
    expect(stale.status).toBe(412)
    expect(await stale.text()).toContain("Someone changed this record after you opened it")
    const saved = await post(browser, "/admin/branding", { ...form, intent: "save" })
    expect(saved.status).toBe(303)
    expect(saved.headers.get("location")).toBe("/admin/branding?saved=1")
    const page = await (await browser.request("/admin/branding?saved=1")).text()
    expect(page).toContain("Saved.")
    expect(page).toContain(`value="Saved Co"`)
    expect(await (await browser.request("/admin/branding/preview")).text()).toContain("Saved Co")
    const again = await post(browser, "/admin/branding", { ...form, intent: "save" })
    expect(again.status).toBe(412)
    const restored = await post(browser, "/admin/branding", { ...(await formOf(browser, {})), intent: "save" })
    expect(restored.status).toBe(303)
  })

  it("needs settings:read for the page and the preview, settings:write to save; in Japanese for Accept-Language ja", async () => {
    const { browser } = await consoleAdmin(["users:read"])
    expect((await browser.request("/admin/branding")).status).toBe(403)
    expect((await browser.request("/admin/branding/preview?productName=x")).status).toBe(403)
    const reader = await consoleAdmin(["settings:read"])
    const form = await formOf(reader.browser, { productName: "Reader Co" })
    expect((await post(reader.browser, "/admin/branding", { ...form, intent: "save" })).status).toBe(403)
    const japanese = await (await reader.browser.request("/admin/branding", { headers: { "accept-language": "ja" } })).text()
    expect(japanese).toContain(`<label for="f-productName">プロダクト名</label>`)
    expect(japanese).toContain(`title="このブランディングを適用したログインページのプレビュー"`)
    expect(japanese).toMatch(/<option value="ja" selected>日本語<\/option>/)
  })
})
