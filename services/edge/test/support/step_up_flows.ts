/**
 * Step-up steps for the tests: a browser holding a session whose last
 * authentication is older than the step-up limit (made straight through the
 * session service with an old `authTime` — no waiting), reading a session's
 * facts back, the step-up page, and the notices in the dev outbox.
 */
import { env } from "cloudflare:workers"
import { expect } from "vitest"
import { SESSION_COOKIE } from "../../src/http/cookies.ts"
import { Browser, parseForm } from "./browser.ts"
import type { SeededUser } from "./fixtures.ts"

const unwrap = <T>(result: { _tag: "Success"; value: T } | { _tag: "Failure"; error: unknown }): T => {
  if (result._tag === "Failure") throw new Error(`RPC failed: ${JSON.stringify(result.error)}`)
  return result.value
}

/** Older than the default step-up limit (300 s). */
export const OLD_AUTH_MS = 10 * 60_000

/** A browser signed in as `user` by a password sign-in `ageMs` ago. */
export const staleBrowser = async (user: Pick<SeededUser, "id">, ageMs = OLD_AUTH_MS) => {
  const created = unwrap(await env.SESSION.create({
    userId: user.id,
    amr: ["pwd"],
    acr: null,
    authTime: Date.now() - ageMs,
    deviceName: null,
    ipAddress: null,
    userAgent: null
  }))
  const browser = new Browser()
  browser.cookies.set(SESSION_COOKIE, created.cookie)
  return { browser, sessionId: created.session.id, cookie: created.cookie }
}

/** The live session `sessionId` (throws when it is gone). */
export const sessionFacts = async (sessionId: string) => unwrap(await env.SESSION.get({ sessionId }))

/** Asserts `response` is the step-up detour (303 to the login page of a new transaction) and follows it to the page. */
export const followToStepUp = async (browser: Browser, response: Response) => {
  expect(response.status).toBe(303)
  expect(response.headers.get("location")).toMatch(/^\/login\?tx=/)
  const page = await browser.follow(response)
  expect(page.status).toBe(200)
  const html = await page.text()
  expect(html).toContain("<h1>Confirm it's you</h1>")
  return html
}

/** Submits the password form of a step-up page. */
export const submitStepUpPassword = (browser: Browser, html: string, password: string, fields: Record<string, string> = {}) => {
  const form = parseForm(html)!
  expect(form.action).toBe("/login")
  return browser.post(form.action, { ...form.fields, password, ...fields })
}

/** Subjects of the newest outbox messages to `email`, newest first. */
export const mailSubjects = async (email: string): Promise<Array<string>> =>
  unwrap(await env.IDENTITY.readOutbox({ to: email, limit: 50 })).messages.map((m) => m.subject)
