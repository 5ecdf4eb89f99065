/**
 * Sealed sign-in transactions (issue 10): the login/consent state travels in
 * the page, AES-GCM sealed with TRANSACTION_SEAL_SECRET, bound to the
 * browser's CSRF cookie; only its single use is stored (one ChallengeStore
 * request per sign-in). The races of that single use are in code_flow.test.ts
 * ("Pending authorization — single use").
 */
import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, submitConsentForm, submitLoginForm } from "./support/flows.ts"
import { productionBrowser } from "./support/production_stack.ts"

/** The per-request bill of the cost meter (COST_METER_HEADER is on in this project). */
const doRequestsOf = (response: Response): Record<string, number> =>
  (JSON.parse(response.headers.get("x-authrim-cost") ?? "{}") as { doRequests?: Record<string, number> }).doRequests ?? {}

const loginPageFor = async (browser: Browser, params: Record<string, string> = {}) => {
  const client = await seedClient()
  const page = await browser.follow(await browser.request(authorizeUrl(client.clientId, params)))
  expect(page.status).toBe(200)
  return { client, page }
}

describe("Sealed login and consent transactions", () => {
  it("a full sign-in with consent touches the ChallengeStore once (the consent's single use) and the SessionStore twice", async () => {
    const user = await seedUser()
    const browser = new Browser()
    // The login page is the /authorize answer itself; its tx is sealed.
    const loginPage = await browser.request(authorizeUrl((await seedClient()).clientId, { prompt: "consent" }))
    expect(parseForm(await loginPage.clone().text())?.fields.tx).toMatch(/^t1\./)
    const afterLogin = await submitLoginForm(browser, loginPage, user)
    expect(afterLogin.status).toBe(200)
    const approved = await submitConsentForm(browser, afterLogin.clone(), "approve")
    expect(callbackOf(approved).searchParams.get("code")).toBeTruthy()
    const bills = [loginPage, afterLogin, approved].map(doRequestsOf)
    expect(bills.map((bill) => bill.ChallengeStore ?? 0)).toEqual([0, 0, 1])
    expect(bills.reduce((sum, bill) => sum + (bill.SessionStore ?? 0), 0)).toBe(2)
  })

  it("a returning user with remembered consent: one ChallengeStore and one SessionStore request for the whole sign-in", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const first = new Browser()
    const consent = await submitLoginForm(first, await first.follow(await first.request(authorizeUrl(client.clientId))), user)
    callbackOf(await submitConsentForm(first, consent, "approve"))
    const browser = new Browser()
    const loginPage = await browser.request(authorizeUrl(client.clientId))
    const afterLogin = await submitLoginForm(browser, loginPage, user)
    expect(callbackOf(afterLogin).searchParams.get("code")).toBeTruthy()
    const bills = [loginPage, afterLogin].map(doRequestsOf)
    expect(bills.reduce((sum, bill) => sum + (bill.ChallengeStore ?? 0), 0)).toBe(1)
    expect(bills.reduce((sum, bill) => sum + (bill.SessionStore ?? 0), 0)).toBe(1)
  })

  it("a tampered transaction is refused on the page and on the post", async () => {
    const browser = new Browser()
    const { page } = await loginPageFor(browser)
    const form = parseForm(await page.text())!
    const tx = form.fields.tx!
    const tampered = tx.slice(0, -2) + (tx.endsWith("A") ? "BB" : "AA")
    expect((await browser.request(`/login?tx=${encodeURIComponent(tampered)}`)).status).toBe(400)
    const user = await seedUser()
    const response = await browser.post("/login", { ...form.fields, tx: tampered, email: user.email, password: user.password })
    expect(response.status).toBe(400)
    expect(browser.cookies.has("__Host-authrim_session")).toBe(false)
  })

  it("is bound to the browser: another browser with its own CSRF cookie cannot use it (login CSRF)", async () => {
    const victim = new Browser()
    const { page } = await loginPageFor(victim)
    const form = parseForm(await page.text())!
    const attacker = new Browser()
    await loginPageFor(attacker)
    const attackerCsrf = attacker.cookies.get("__Host-authrim_csrf")!
    const user = await seedUser()
    const response = await attacker.post("/login", { ...form.fields, csrf: attackerCsrf, email: user.email, password: user.password })
    expect(response.status).toBe(400)
    expect(attacker.cookies.has("__Host-authrim_session")).toBe(false)
  })

  it("a consent page cannot be answered by another session of the same browser", async () => {
    const browser = new Browser()
    const { client, page } = await loginPageFor(browser)
    const consent = await submitLoginForm(browser, page, await seedUser())
    const consentHtml = await consent.text()
    // The browser signs in as someone else in another tab: the first consent no longer belongs to it.
    const other = await browser.follow(await browser.request(authorizeUrl(client.clientId, { prompt: "login" })))
    expect((await submitLoginForm(browser, other, await seedUser())).status).toBe(200)
    const response = await submitConsentForm(browser, new Response(consentHtml), "approve")
    expect(response.status).toBe(400)
    expect(response.headers.get("location")).toBeNull()
  })

  it("a login replayed after its consent was answered cannot complete the transaction again", async () => {
    for (const prompt of ["consent", null]) {
      const browser = new Browser()
      const { page } = await loginPageFor(browser, prompt === null ? {} : { prompt })
      const loginHtml = await page.text()
      const user = await seedUser()
      const consent = await submitLoginForm(browser, new Response(loginHtml), user)
      expect(callbackOf(await submitConsentForm(browser, consent, "approve")).searchParams.get("code")).toBeTruthy()
      const replayed = await submitLoginForm(browser, new Response(loginHtml), user)
      if (prompt === null) {
        // Consent is remembered now: the replay would end the transaction at once, and it is already used.
        expect(replayed.status).toBe(400)
        expect(replayed.headers.get("location")).toBeNull()
        continue
      }
      // prompt=consent asks again, but the answer cannot end the used transaction.
      expect(replayed.status).toBe(200)
      const again = await submitConsentForm(browser, replayed, "approve")
      expect(again.status).toBe(400)
      expect(again.headers.get("location")).toBeNull()
    }
  })
})

describe("TRANSACTION_SEAL_SECRET is required (no default in the source)", () => {
  it("unset in production: a sign-in answers the 503 page naming it, never a transaction sealed with a guessed key", async () => {
    const client = await seedClient()
    for (const TRANSACTION_SEAL_SECRET of [undefined, "", "too-short"]) {
      const response = await productionBrowser({ TRANSACTION_SEAL_SECRET }).request(authorizeUrl(client.clientId))
      expect(response.status).toBe(503)
      expect(response.headers.get("location")).toBeNull()
      expect(await response.text()).toContain("TRANSACTION_SEAL_SECRET")
    }
  })
})
