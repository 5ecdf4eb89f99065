/**
 * Issue 12 §5 gaps: `/account` follows the account's `locale` claim (after
 * ui_locales, before Accept-Language, as the profile page does), and the
 * device flow's 429 page and the edge's own error pages (405 on a page route)
 * speak the browser's language.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { Browser } from "./support/browser.ts"
import { seedUser } from "./support/fixtures.ts"
import { submitLoginForm } from "./support/flows.ts"

type IncomingRequest = Parameters<typeof worker.fetch>[0]

const freshIp = () => `2001:db8:12c::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`

const signedIn = async (fetchEdge?: (request: Request) => Promise<Response>, ip = freshIp()) => {
  const user = await seedUser()
  const browser = new Browser((request) => {
    request.headers.set("cf-connecting-ip", ip)
    return fetchEdge === undefined ? worker.fetch(request as IncomingRequest, env) : fetchEdge(request)
  })
  const login = await browser.follow(await browser.request("/account"))
  expect((await submitLoginForm(browser, login, user)).status).toBe(303)
  return { user, browser }
}

describe("/account honours the account's locale claim", () => {
  it("locale ja-JP: Japanese even when the browser asks for English; without the claim, Accept-Language decides", async () => {
    const { user, browser } = await signedIn()
    const english = await (await browser.request("/account", { headers: { "accept-language": "en" } })).text()
    expect(english).toContain(`<html lang="en">`)
    const saved = await env.IDENTITY.updateUserProfile({ userId: user.id, patch: { locale: "ja-JP" }, editor: { kind: "user", id: user.id } })
    expect(saved._tag).toBe("Success")
    const japanese = await (await browser.request("/account", { headers: { "accept-language": "en" } })).text()
    expect(japanese).toContain(`<html lang="ja">`)
    expect(japanese).toContain("アカウント")
  })
})

describe("Error and limit pages in the browser's language", () => {
  it("the device code entry 429 page is Japanese for a Japanese browser", async () => {
    const fetchEdge = (request: Request) =>
      worker.fetch(request as IncomingRequest, { ...env, RATE_LIMIT_POLICIES: JSON.stringify({ deviceCodeEntryPerBrowser: { limit: 1, windowSeconds: 900 } }) })
    const { browser } = await signedIn(fetchEdge)
    const ja = { "accept-language": "ja" }
    expect((await browser.request("/device?user_code=BCDF-GHJK", { headers: ja })).status).toBe(400)
    const refused = await browser.request("/device?user_code=LMNP-QRST", { headers: ja })
    expect(refused.status).toBe(429)
    const html = await refused.text()
    expect(html).toContain(`<html lang="ja">`)
    expect(html).not.toContain("Too many requests")
    expect(html).not.toContain("Something went wrong")
  })

  it("a wrong method on a page route answers the 405 page in Japanese", async () => {
    const response = await worker.fetch(new Request("https://op.test/account", { method: "DELETE", headers: { "accept-language": "ja" } }) as IncomingRequest, env)
    expect(response.status).toBe(405)
    const html = await response.text()
    expect(html).toContain(`<html lang="ja">`)
    expect(html).not.toContain("Something went wrong")
  })
})
