/**
 * Issue 9 §5 — the session and CSRF cookies (and every other edge cookie)
 * carry the `__Host-` prefix (RFC 6265bis §4.1.3.2): Secure, Path=/, no
 * Domain, so a sibling subdomain or a plain-http response cannot plant or
 * shadow them. Checked on a real sign-in, in development and in production.
 */
import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { productionBrowser } from "./support/production_stack.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, submitConsentForm, submitLoginForm } from "./support/flows.ts"

const setCookies = async (browser: Browser) => {
  const client = await seedClient()
  const user = await seedUser()
  const all: Array<string> = []
  const collect = (response: Response) => { all.push(...response.headers.getSetCookie()); return response }
  const login = collect(await browser.request(authorizeUrl(client.clientId)))
  const page = await browser.follow(login)
  collect(page)
  const consent = await browser.follow(collect(await submitLoginForm(browser, page, user)))
  collect(await submitConsentForm(browser, consent, "approve"))
  return all
}

const expectHostCookies = (cookies: ReadonlyArray<string>) => {
  const names = cookies.map((c) => c.slice(0, c.indexOf("=")))
  expect(names).toEqual(expect.arrayContaining(["__Host-authrim_session", "__Host-authrim_csrf"]))
  for (const cookie of cookies) {
    const attributes = cookie.split(";").slice(1).map((a) => a.trim().toLowerCase())
    expect(cookie).toMatch(/^__Host-/)
    expect(attributes).toContain("secure")
    expect(attributes).toContain("path=/")
    expect(attributes.some((a) => a.startsWith("domain"))).toBe(false)
    expect(attributes).toContain("httponly")
  }
}

describe("Cookies — __Host- prefix (RFC 6265bis §4.1.3.2)", () => {
  it("a sign-in sets only __Host- cookies with Secure, Path=/ and no Domain (development stack)", async () => {
    expectHostCookies(await setCookies(new Browser()))
  })

  it("the same in production", async () => {
    expectHostCookies(await setCookies(productionBrowser()))
  })
})
