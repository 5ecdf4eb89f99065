/**
 * The hosted pages in a real browser, in English and Japanese (issue 12 §5): Debian's Chromium
 * through playwright-core against the `wrangler dev` stack. `ui_locales=ja` turns an English
 * browser's sign-in Japanese; a Japanese browser (Accept-Language) gets Japanese pages without
 * asking. On each page: `<html lang>`, every control labelled, the keyboard reaches the submit
 * button with a visible focus ring, and the stylesheet applies under the strict CSP (nothing
 * refused). Writes the README's screenshots — login, consent, account; both languages; light
 * and dark — to docs/screenshots/. The account profile form (issue 12 §4) in Japanese: every
 * field labelled, reachable by keyboard, a refused value announced next to its field.
 */
import path from "node:path"
import type { Browser, BrowserContext, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchChromium, unlabelledControls } from "./chromium.ts"
import { alice, issuer, redirectUri } from "./rp.ts"

/** e2e/fixtures.json: only the profile form test signs in as this user. */
const profileUser = { email: "profile-browser@e2e.test", password: "profile-browser-password-1" }
/**
 * e2e/fixtures.json: the screenshot walk's user — no `locale` claim, so the browser's language decides every page
 * (alice's en-GB outranks it on /account, which follows the account's locale: checked below).
 */
const pagesUser = { email: "pages-browser@e2e.test", password: "pages-browser-password-1" }

const screenshots = path.join(import.meta.dirname, "../../../docs/screenshots")

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})


/** A browser context in `locale` and colour scheme whose RP callback answers (nothing listens there). */
const contextFor = async (locale: string, colorScheme: "light" | "dark"): Promise<{ context: BrowserContext; page: Page; refused: Array<string> }> => {
  const context = await browser.newContext({ locale, colorScheme, viewport: { width: 720, height: 760 } })
  await context.route(`${new URL(redirectUri).origin}/**`, (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "callback" }))
  const page = await context.newPage()
  // A style or script the CSP refuses is reported on the console.
  const refused: Array<string> = []
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text())
  })
  return { context, page, refused }
}

const authorizeUrl = (extra: Record<string, string> = {}) => {
  const url = new URL("/authorize", issuer())
  const params = {
    response_type: "code", client_id: "e2e-public", redirect_uri: redirectUri, scope: "openid profile email offline_access",
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256", state: "s", nonce: "n", prompt: "login consent",
    ...extra
  }
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return url.toString()
}

/** Tabs from the first field until the focus is on the form's submit button; returns whether it got there. */
const keyboardReachesSubmit = async (page: Page): Promise<boolean> => {
  await page.locator("#email").focus()
  for (let i = 0; i < 10; i++) {
    if (await page.evaluate(() => document.activeElement?.matches("button[type=submit]") === true)) return true
    await page.keyboard.press("Tab")
  }
  return false
}

const accessible = async (page: Page, lang: string) => {
  expect(await page.getAttribute("html", "lang")).toBe(lang)
  expect(await unlabelledControls(page)).toEqual([])
}

const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`) })

describe("Hosted pages in English and Japanese — real browser (issue 12 §5)", () => {
  it("ui_locales=ja makes an English browser's sign-in Japanese; errors sit at the field; the keyboard reaches the submit button", async () => {
    const { context, page, refused } = await contextFor("en-US", "light")
    await page.goto(authorizeUrl({ ui_locales: "ja" }))
    await accessible(page, "ja")
    expect(await page.locator("h1").innerText()).toBe("ログイン")
    expect(await page.getByLabel("メールアドレス").count()).toBe(1)
    expect(await keyboardReachesSubmit(page)).toBe(true)
    // The focus ring is visible (the stylesheet applied: it is not the browser's default).
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe("solid")
    // An address nobody has (a wrong password for a shared fixture user would count against it in other tests).
    await page.locator("#email").fill("nobody-ja@e2e.test")
    await page.locator("#password").fill("wrong-password")
    await page.locator("button[type=submit]").click()
    expect(await page.getByRole("alert").innerText()).toBe("メールアドレスまたはパスワードが正しくありません。")
    expect(await page.locator("#password").getAttribute("aria-describedby")).toBe("form-error")
    expect(refused).toEqual([])
    await context.close()
  })

  for (const [locale, lang] of [["en-US", "en"], ["ja-JP", "ja"]] as const) {
    for (const scheme of ["light", "dark"] as const) {
      it(`${lang}, ${scheme}: login, consent and account pages (Accept-Language ${locale}); screenshots`, async () => {
        const { context, page, refused } = await contextFor(locale, scheme)
        const suffix = `${lang}${scheme === "dark" ? "-dark" : ""}`
        await page.goto(authorizeUrl())
        await accessible(page, lang)
        expect(await keyboardReachesSubmit(page)).toBe(true)
        await page.locator("#email").fill(pagesUser.email)
        await shoot(page, `login-${suffix}`)
        await page.locator("#password").fill(pagesUser.password)
        await page.locator("button[type=submit]").click()

        await page.waitForSelector("button[value=approve]")
        await accessible(page, lang)
        expect(await page.locator("h1").innerText()).toBe(lang === "ja" ? "アクセスを許可しますか？" : "Allow access?")
        await shoot(page, `consent-${suffix}`)
        await page.locator("button[value=approve]").click()
        await page.waitForURL((url) => url.pathname === new URL(redirectUri).pathname)

        await page.goto(`${issuer()}/account`)
        await accessible(page, lang)
        expect(await page.locator("h1").innerText()).toBe(lang === "ja" ? "アカウント" : "Your account")
        await shoot(page, `account-${suffix}`)
        expect(refused).toEqual([])
        // Dark mode is the stylesheet's: the page background follows the scheme.
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
        expect(background).toBe(scheme === "dark" ? "rgb(13, 17, 23)" : "rgb(243, 244, 246)")
        await context.close()
      })
    }
  }

  it("/account follows the account's locale claim over the browser's language: alice (en-GB) in a Japanese browser reads English", async () => {
    const { context, page, refused } = await contextFor("ja-JP", "light")
    await page.goto(`${issuer()}/account`)
    await accessible(page, "ja")
    await page.locator("#email").fill(alice.email)
    await page.locator("#password").fill(alice.password)
    await page.locator("button[type=submit]").click()
    await page.waitForURL((url) => url.pathname === "/account")
    await accessible(page, "en")
    expect(await page.locator("h1").innerText()).toBe("Your account")
    expect(refused).toEqual([])
    await context.close()
  })

  // A user of its own without a `locale` claim (alice's en-GB would outrank the browser's language on account pages).
  it("ja: the account profile form — labels, keyboard order, a refused birthdate next to its field", async () => {
    const { context, page, refused } = await contextFor("ja-JP", "light")
    await page.goto(`${issuer()}/account/profile`)
    await page.locator("#email").fill(profileUser.email)
    await page.locator("#password").fill(profileUser.password)
    await page.locator("button[type=submit]").click()
    await page.waitForURL((url) => url.pathname === "/account/profile")
    await accessible(page, "ja")
    expect(await page.locator("h1").innerText()).toBe("プロフィール")
    expect(await page.getByLabel("姓").count()).toBe(1)
    expect(await page.getByLabel("生年月日").count()).toBe(1)
    expect(await page.getByLabel("市区町村").getAttribute("name")).toBe("address.locality")
    // The keyboard goes from the first field through the form to its submit button.
    await page.locator("#given_name").focus()
    let reached = false
    for (let i = 0; i < 25 && !reached; i++) {
      await page.keyboard.press("Tab")
      reached = await page.evaluate(() => document.activeElement?.matches("form[action='/account/profile'] button[type=submit]") === true)
    }
    expect(reached).toBe(true)
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe("solid")
    await page.locator("#birthdate").fill("1990-13-40")
    await page.locator("form[action='/account/profile'] button[type=submit]").click()
    await page.waitForSelector("#birthdate-error")
    expect(await page.locator("#birthdate-error").innerText()).toBe("実在する日付を YYYY-MM-DD 形式で、または年を YYYY 形式で入力してください。")
    expect(await page.locator("#birthdate").getAttribute("aria-invalid")).toBe("true")
    expect(await page.locator("#birthdate").getAttribute("aria-describedby")).toContain("birthdate-error")
    expect(await page.locator("#birthdate").inputValue()).toBe("1990-13-40")
    expect(refused).toEqual([])
    await context.close()
  })
})
