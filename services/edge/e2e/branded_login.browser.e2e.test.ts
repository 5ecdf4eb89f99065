/**
 * A branded login page in a real browser (issue 12 §5): Debian's Chromium renders the page the
 * console's preview renderer makes (pages/branding_preview.ts — the same layout, stylesheet and
 * branding rewrite as `/login`), served with its own headers. Proves in the browser that the
 * colour sheet applies because the CSP allows it by hash, and that the CSP still refuses any
 * other inline style. Writes docs/screenshots/login-branded.png for the README.
 */
import path from "node:path"
import { defaultBranding } from "@authrim/contracts"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Browser } from "playwright-core"
import { renderBrandingPreview } from "../src/pages/branding_preview.ts"
import { launchChromium } from "./chromium.ts"

const ORIGIN = "https://branding.test"
const acme = {
  ...defaultBranding,
  productName: "Acme ID",
  primaryColor: "#7b1fa2",
  backgroundColor: "#f3e5f5",
  supportUrl: "https://help.acme.example/",
  privacyPolicyUrl: "https://acme.example/privacy",
  termsUrl: "https://acme.example/terms",
  footerText: "© 2026 Acme Inc."
}

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** Opens `html` with `headers` at ORIGIN in Chromium; returns the page and every CSP refusal it logged. */
const open = async (html: string, headers: Record<string, string>) => {
  const context = await browser.newContext({ viewport: { width: 720, height: 760 }, colorScheme: "light" })
  await context.route(`${ORIGIN}/**`, (route) => route.fulfill({ status: 200, headers, body: html }))
  const page = await context.newPage()
  const refused: Array<string> = []
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text())
  })
  await page.goto(`${ORIGIN}/login`)
  return { context, page, refused }
}

describe("Branded login page — real browser", () => {
  it("the colour sheet applies under the CSP's hashes; a stray inline style is refused; screenshot", async () => {
    const response = await Effect.runPromise(renderBrandingPreview(acme, "en", { clientName: "Shop", clientLinks: { policyUri: "https://shop.example/privacy", tosUri: "https://shop.example/tos" } }))
    const headers = Object.fromEntries(response.headers)
    const html = await response.text()

    const { context, page, refused } = await open(html, headers)
    expect(await page.title()).toBe("Sign in — Acme ID")
    expect(await page.locator("header.brand").innerText()).toBe("Acme ID")
    // The brand colour reached the primary button and the page background: the hashed colour sheet ran.
    expect(await page.locator("button[type=submit]").evaluate((b) => getComputedStyle(b).backgroundColor)).toBe("rgb(123, 31, 162)")
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(243, 229, 245)")
    expect(await page.getByRole("link", { name: "Terms of service", exact: true }).getAttribute("href")).toBe("https://acme.example/terms")
    expect(await page.getByRole("link", { name: "Shop — privacy policy" }).count()).toBe(1)
    expect(refused).toEqual([])
    await page.screenshot({ path: path.join(import.meta.dirname, "../../../docs/screenshots/login-branded.png") })
    await context.close()

    // Same headers, one more inline <style> the CSP does not name: the browser refuses it.
    const tampered = html.replace("</head>", "<style>body{background:rgb(255, 0, 0)}</style></head>")
    const attack = await open(tampered, headers)
    expect(await attack.page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(243, 229, 245)")
    expect(attack.refused.length).toBeGreaterThan(0)
    await attack.context.close()
  })
})
