/**
 * Account security changes in a real browser (issue 9 §3): Debian's Chromium through
 * playwright-core against the same `wrangler dev` stack as `npm start`. A stale session that
 * changes its password is sent to "Confirm it's you", confirms with its password, comes back
 * to the page, and only then is the change made and notified; a fresh session changes its
 * email address by the link mailed to the new one; every form field of these pages has a
 * label; the browser holds only `__Host-` cookies.
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { launchChromium, unlabelledControls } from "./chromium.ts"
import { issuer } from "./rp.ts"
import { STEP_UP_MAX_AGE_SECONDS } from "./step_up_window.ts"

const user = { email: "stepup-browser@e2e.test", password: "stepup-browser-password-1" }
const emailUser = { email: "email-change-browser@e2e.test", password: "email-change-browser-password-1" }
const newPassword = "stepup-browser-password-2"

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})


const heading = (page: Page) => page.locator("h1").innerText()

const fillNewPassword = async (page: Page, current: string, next: string) => {
  await page.getByLabel("Current password", { exact: true }).fill(current)
  await page.getByLabel("New password", { exact: true }).fill(next)
  await page.getByLabel("Repeat the new password").fill(next)
  await page.getByRole("button", { name: "Change password" }).click()
}

describe("Step-up for account security changes — real browser (issue 9 §3)", () => {
  it("a stale session confirms with its password, returns to the page, and the change is made and notified", async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    // Not signed in: the account page sends the browser to sign in and back.
    await page.goto(`${issuer()}/account/password`)
    expect(new URL(page.url()).pathname).toBe("/login")
    expect(await unlabelledControls(page)).toEqual([])
    await page.getByLabel("Email").fill(user.email)
    await page.getByLabel("Password").fill(user.password)
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.waitForURL((url) => url.pathname === "/account/password")
    expect(await heading(page)).toBe("Change your password")
    expect(await unlabelledControls(page)).toEqual([])

    // Let the sign-in age past the step-up window (the e2e stack sets it short).
    await page.waitForTimeout((STEP_UP_MAX_AGE_SECONDS + 1) * 1000)
    // The form now says a confirmation comes first.
    await page.reload()
    expect(await page.getByRole("note").innerText()).toContain("confirm it's you")
    await fillNewPassword(page, user.password, newPassword)
    await page.waitForURL((url) => url.pathname === "/login")
    expect(await heading(page)).toBe("Confirm it's you")
    expect(await page.locator("main, body").first().innerText()).toContain(user.email)
    expect(await unlabelledControls(page)).toEqual([])
    await page.getByLabel("Password").fill(user.password)
    await page.getByRole("button", { name: "Confirm" }).click()
    await page.waitForURL((url) => url.pathname === "/account/password")

    // Nothing was changed by the refused attempt: the old password is still the current one.
    await fillNewPassword(page, user.password, newPassword)
    expect(await heading(page)).toBe("Password changed")

    const cookies = await context.cookies()
    expect(cookies.length).toBeGreaterThan(0)
    for (const cookie of cookies) {
      expect(cookie.name.startsWith("__Host-")).toBe(true)
      expect(cookie.secure).toBe(true)
      expect(cookie.path).toBe("/")
    }

    // The user is told (development outbox of the e2e stack).
    await page.goto(`${issuer()}/dev/outbox?to=${encodeURIComponent(user.email)}`)
    expect(await page.locator("body").innerText()).toContain("Your password was changed")
    await context.close()
  })

  it("a fresh session changes its email address: the link goes to the new address, opening it makes the change", async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${issuer()}/account/email`)
    await page.getByLabel("Email").fill(emailUser.email)
    await page.getByLabel("Password").fill(emailUser.password)
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.waitForURL((url) => url.pathname === "/account/email")
    expect(await heading(page)).toBe("Change your email address")
    expect(await unlabelledControls(page)).toEqual([])
    const next = `changed-${crypto.randomUUID().slice(0, 8)}@e2e.test`
    await page.getByLabel("New email address").fill(next)
    await page.getByRole("button", { name: "Send confirmation link" }).click()
    if (new URL(page.url()).pathname === "/login") {
      // A loaded machine took longer than the short e2e step-up window since the sign-in: confirm, then ask again.
      await page.getByLabel("Password").fill(emailUser.password)
      await page.getByRole("button", { name: "Confirm" }).click()
      await page.waitForURL((url) => url.pathname === "/account/email")
      await page.getByLabel("New email address").fill(next)
      await page.getByRole("button", { name: "Send confirmation link" }).click()
    }
    expect(await heading(page)).toBe("Check your new inbox")

    // The link was mailed to the NEW address; the browser follows it from the development outbox.
    await page.goto(`${issuer()}/dev/outbox?to=${encodeURIComponent(next)}`)
    await page.locator("a[href*='/account/email/verify']").first().click()
    await page.waitForURL((url) => url.pathname === "/account/email/verify")
    expect(await heading(page)).toBe("Email address changed")
    expect(await page.locator("body").innerText()).toContain(next)
    await context.close()
  })
})
