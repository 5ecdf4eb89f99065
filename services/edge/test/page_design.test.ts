import { describe, expect, it } from "vitest"
import { PAGE_STYLESHEET, PAGE_STYLESHEET_HASH } from "../src/pages/page_stylesheet.ts"
import { Browser } from "./support/browser.ts"

describe("Page design — one self-contained stylesheet under a strict CSP", () => {
  it("the CSP hash is the stylesheet's SHA-256 (edit the CSS, update the hash)", async () => {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(PAGE_STYLESHEET))
    const base64 = btoa(String.fromCharCode(...new Uint8Array(digest)))
    expect(PAGE_STYLESHEET_HASH).toBe(`sha256-${base64}`)
  })

  it("pages allow only that stylesheet: no 'unsafe-inline', no style attributes, no external asset", async () => {
    const response = await new Browser().request("/password/forgot")
    const csp = response.headers.get("content-security-policy") ?? ""
    expect(csp).toContain(`style-src '${PAGE_STYLESHEET_HASH}'`)
    expect(csp).not.toContain("unsafe-inline")
    expect(csp).toContain("default-src 'none'")
    const html = await response.text()
    expect(html).not.toMatch(/\sstyle=/)
    expect(html).not.toMatch(/<link|@import|url\(/)
    expect(PAGE_STYLESHEET).not.toMatch(/url\(|@import/)
    expect(PAGE_STYLESHEET).toContain("prefers-color-scheme:dark")
  })

  it("the page language follows Accept-Language; English stays the default", async () => {
    const ja = await new Browser().request("/password/forgot", { headers: { "accept-language": "ja,en;q=0.5" } })
    const jaHtml = await ja.text()
    expect(jaHtml).toContain(`<html lang="ja">`)
    expect(jaHtml).toContain("パスワードの再設定")
    const en = await (await new Browser().request("/password/forgot")).text()
    expect(en).toContain(`<html lang="en">`)
    expect(en).toContain("Reset your password")
  })
})
