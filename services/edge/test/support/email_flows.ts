/**
 * Email steps for the tests: asking for a magic link or a reset link through
 * the edge's pages, and reading the link back from the development outbox
 * (the identity service's `readOutbox`, as a developer's /dev/outbox would).
 */
import { env } from "cloudflare:workers"
import { expect } from "vitest"
import { Browser, ORIGIN, parseForm } from "./browser.ts"
import { authorizeUrl, pkcePair } from "./flows.ts"

/**
 * The first link in the newest outbox message to `email` (absolute URL), or null when none was sent.
 * The edge mails after answering (`runAfterResponse`, issue 9 §4), so this waits up to `waitMs` for
 * a message to arrive — and that long before concluding that none was sent.
 */
export const latestMailedLink = async (email: string, waitMs = 1500): Promise<string | null> => {
  const deadline = Date.now() + waitMs
  for (;;) {
    const result = await env.IDENTITY.readOutbox({ to: email, limit: 1 })
    if (result._tag === "Failure") throw new Error(`outbox: ${JSON.stringify(result.error)}`)
    const link = result.value.messages[0]?.text.match(/https?:\/\/\S+/)?.[0] ?? null
    if (link !== null || Date.now() >= deadline) return link
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Starts an authorization for `clientId` in `browser` and returns the login page's transaction id. */
export const startLogin = async (browser: Browser, clientId: string) => {
  const { verifier, challenge } = await pkcePair()
  const loginPage = await browser.follow(await browser.request(authorizeUrl(clientId, { code_challenge: challenge, code_challenge_method: "S256" })))
  expect(loginPage.status).toBe(200)
  const html = await loginPage.text()
  const tx = parseForm(html)!.fields.tx!
  return { tx, verifier, html }
}

/** Asks for a magic link on `/login/email` of transaction `tx`; returns the "check your email" response. */
export const requestMagicLink = async (browser: Browser, tx: string, email: string): Promise<Response> => {
  const page = await browser.request(`/login/email?tx=${encodeURIComponent(tx)}`)
  expect(page.status).toBe(200)
  const form = parseForm(await page.text())!
  expect(form.action).toBe("/login/email")
  return browser.post(form.action, { ...form.fields, email })
}

/** Asks for a reset link on `/password/forgot` (in `uiLocales` when given); returns the answer page. */
export const requestPasswordReset = async (browser: Browser, email: string, uiLocales?: string): Promise<Response> => {
  const page = await browser.request(uiLocales === undefined ? "/password/forgot" : `/password/forgot?ui_locales=${uiLocales}`)
  const form = parseForm(await page.text())!
  return browser.post(form.action, { ...form.fields, email })
}

/** Opens a reset link and submits the new password (twice, as the form asks). */
export const submitResetLink = async (browser: Browser, link: string, password: string, confirm = password): Promise<Response> => {
  const page = await browser.request(link)
  expect(page.status).toBe(200)
  const form = parseForm(await page.text())!
  return browser.post(form.action, { ...form.fields, password, confirm })
}

/** Path + query of an absolute link on the provider. */
export const onProvider = (link: string): string => {
  const url = new URL(link)
  expect(url.origin).toBe(ORIGIN)
  return url.pathname + url.search
}
