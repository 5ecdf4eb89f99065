/**
 * Passkey steps shared by the tests: a password-signed-in browser on the
 * account page, registration through `/account/passkeys`, and the passkey
 * sign-in page of a pending authorization — each driven by a
 * {@link SoftwareAuthenticator}.
 */
import { env } from "cloudflare:workers"
import { expect } from "vitest"
import { Browser, parseForm } from "./browser.ts"
import type { SeededUser } from "./fixtures.ts"
import { authorizeUrl, submitLoginForm } from "./flows.ts"
import type { CeremonyOverrides, SoftwareAuthenticator } from "./software_authenticator.ts"

const decodeEntities = (s: string) =>
  s.replace(/&quot;/g, "\"").replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#x2F;/g, "/").replace(/&amp;/g, "&")

/** The WebAuthn options a passkey page embeds (`data-options` of its first form). */
export const embeddedOptions = (html: string): Record<string, unknown> => {
  const match = /data-options="([^"]*)"/.exec(html)
  expect(match).not.toBeNull()
  return JSON.parse(decodeEntities(match![1]!))
}

/** A browser signed in with `user`'s password through the account page's own login redirect. */
export const accountBrowser = async (user: SeededUser): Promise<Browser> => {
  const browser = new Browser()
  const redirect = await browser.request("/account/passkeys")
  expect(redirect.status).toBe(303)
  expect(redirect.headers.get("location")).toMatch(/^\/login\?tx=/)
  const loginPage = await browser.follow(redirect)
  const afterLogin = await submitLoginForm(browser, loginPage, user)
  expect(afterLogin.status).toBe(303)
  expect(afterLogin.headers.get("location")).toBe("/account/passkeys")
  return browser
}

/** Adds a passkey on the account page; returns the POST's response (303 on success). */
export const addPasskeyOnAccountPage = async (
  browser: Browser,
  authenticator: SoftwareAuthenticator,
  name = "",
  overrides: CeremonyOverrides = {}
) => {
  const page = await browser.request("/account/passkeys")
  expect(page.status).toBe(200)
  const html = await page.text()
  const form = parseForm(html)!
  const credential = await authenticator.create(embeddedOptions(html), overrides)
  return browser.post("/account/passkeys", { ...form.fields, name, credential: JSON.stringify(credential) })
}

const unwrap = <T>(result: { _tag: "Success"; value: T } | { _tag: "Failure"; error: unknown }): T => {
  if (result._tag === "Failure") throw new Error(`RPC failed: ${JSON.stringify(result.error)}`)
  return result.value
}

/** Registers a passkey for `userId` straight through the identity RPC (setup for sign-in tests). */
export const registerPasskey = async (userId: string, authenticator: SoftwareAuthenticator, name: string | null = null) => {
  const ceremony = unwrap(await env.IDENTITY.startPasskeyRegistration({ userId }))
  const response = await authenticator.create(ceremony.options)
  return unwrap(await env.IDENTITY.finishPasskeyRegistration({ userId, challengeId: ceremony.challengeId, response, name }))
}

/** Starts an authorization for `clientId` and opens its passkey page (`email` for email-first). */
export const openPasskeyPage = async (browser: Browser, clientId: string, email: string | null = null) => {
  const loginPage = await browser.follow(await browser.request(authorizeUrl(clientId)))
  const html = await loginPage.text()
  const link = /href="(\/login\/passkey\?tx=[^"]+)"/.exec(html)
  expect(link).not.toBeNull()
  const path = decodeEntities(link![1]!) + (email === null ? "" : `&email=${encodeURIComponent(email)}`)
  const page = await browser.request(path)
  expect(page.status).toBe(200)
  return page.text()
}

/** Answers the passkey page `html` with `authenticator`; returns the POST's response. */
export const submitAssertion = async (
  browser: Browser,
  html: string,
  authenticator: SoftwareAuthenticator,
  overrides: CeremonyOverrides = {}
) => {
  const form = parseForm(html)!
  const credential = await authenticator.get(embeddedOptions(html), overrides)
  return { response: await browser.post(form.action, { ...form.fields, credential: JSON.stringify(credential) }), credential, form }
}
