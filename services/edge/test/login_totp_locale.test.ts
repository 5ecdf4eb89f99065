/**
 * The second-factor page (`/login/totp`) keeps the sign-in's language: the
 * authorization request's `ui_locales` (carried in the step) wins over
 * `Accept-Language`, on the form and on its error re-show, as on /login.
 */
import { exports } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { enrolTotp, passwordStep, secondFactorPageOf, signInToAccountTotp, submitCode } from "./support/totp_flows.ts"

/** A browser whose every request says `Accept-Language: language`. */
const browserSaying = (language: string) => new Browser((request) => {
  const copy = new Request(request)
  copy.headers.set("accept-language", language)
  return exports.default.fetch(copy)
})

const totpUser = async () => {
  const user = await seedUser()
  const browser = new Browser()
  await signInToAccountTotp(browser, user)
  await enrolTotp(browser)
  return user
}

describe("second-factor page language", () => {
  it("ui_locales=ja: the code page and its error are Japanese although the browser asks for English", async () => {
    const client = await seedClient()
    const user = await totpUser()
    const browser = browserSaying("en-US,en;q=0.9")
    const html = await secondFactorPageOf(browser, await passwordStep(browser, client.clientId, user, { ui_locales: "ja" }))
    expect(html).toContain(`<html lang="ja"`)
    expect(html).toContain("2 段階認証")
    const wrong = await submitCode(browser, html, "000000")
    expect(wrong.status).toBe(401)
    const again = await wrong.text()
    expect(again).toContain(`<html lang="ja"`)
    expect(again).toContain("コードが正しくありません")
  })

  it("without ui_locales: Accept-Language decides (English here)", async () => {
    const client = await seedClient()
    const user = await totpUser()
    const browser = browserSaying("en-US")
    const html = await secondFactorPageOf(browser, await passwordStep(browser, client.clientId, user))
    expect(html).toContain(`<html lang="en"`)
  })
})
