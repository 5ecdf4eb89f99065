/**
 * Second-factor steps shared by the TOTP tests: signing a browser in to the
 * account page, enrolling through `/account/totp`, and walking a sign-in
 * through password and code.
 */
import { expect } from "vitest"
import { Browser, parseForm } from "./browser.ts"
import type { SeededUser } from "./fixtures.ts"
import { authorizeUrl, submitLoginForm } from "./flows.ts"
import { authenticatorApp } from "./totp_app.ts"

/** A browser signed in (password only) on the account TOTP page; returns the page. */
export const signInToAccountTotp = async (browser: Browser, user: SeededUser) => {
  const login = await browser.follow(await browser.request("/account/totp"))
  expect(parseForm(await login.clone().text())?.action).toBe("/login")
  const back = await submitLoginForm(browser, login, user)
  expect(back.headers.get("location")).toBe("/account/totp")
  return browser.follow(back)
}

/** Enrols TOTP for the signed-in `browser`; the confirming code is the start step's. */
export const enrolTotp = async (browser: Browser) => {
  const status = await browser.request("/account/totp")
  const begin = parseForm(await status.text())!
  expect(begin.fields.action).toBe("begin")
  const enrolPage = await (await browser.post("/account/totp", begin.fields)).text()
  const secret = /id="totp-secret">([^<]+)</.exec(enrolPage)![1]!.replace(/\s/g, "")
  const otpauthUri = /id="otpauth-uri" href="([^"]+)"/.exec(enrolPage)![1]!.replace(/&#x2F;/g, "/").replace(/&amp;/g, "&")
  const app = authenticatorApp(secret)
  const confirm = parseForm(enrolPage)!
  expect(confirm.fields.action).toBe("confirm")
  const done = await browser.post("/account/totp", { ...confirm.fields, code: await app.code(0) })
  expect(done.status).toBe(200)
  const recoveryCodes = [...(await done.text()).matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1]!)
  expect(recoveryCodes).toHaveLength(10)
  return { secret, otpauthUri, app, recoveryCodes }
}

/** Starts an authorization in `browser` and passes the password: returns the response (the second-factor redirect, for a TOTP user). */
export const passwordStep = async (browser: Browser, clientId: string, user: SeededUser, params: Record<string, string | null> = {}) => {
  const login = await browser.follow(await browser.request(authorizeUrl(clientId, params)))
  expect(parseForm(await login.clone().text())?.action).toBe("/login")
  return submitLoginForm(browser, login, user)
}

/** Follows to the second-factor page and returns its HTML. */
export const secondFactorPageOf = async (browser: Browser, afterPassword: Response) => {
  expect(afterPassword.status).toBe(303)
  expect(afterPassword.headers.get("location")).toMatch(/^\/login\/totp\?mfa=/)
  const page = await browser.follow(afterPassword)
  expect(page.status).toBe(200)
  return page.text()
}

/** Posts `code` into the second-factor form of `html`. */
export const submitCode = (browser: Browser, html: string, code: string) => {
  const form = parseForm(html)!
  expect(form.action).toBe("/login/totp")
  return browser.post(form.action, { ...form.fields, code })
}
