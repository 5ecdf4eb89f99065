import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, signIn } from "./support/flows.ts"

/** The login page, rendered in the /authorize answer itself (issue 10: no redirect to /login?tx=…). */
const isLoginPage = async (response: Response) => response.status === 200 && parseForm(await response.text())?.action === "/login"

describe("prompt — OIDC Core §3.1.2.1", () => {
  it("prompt=none without a session answers login_required, showing no page", async () => {
    const client = await seedClient()
    const callback = callbackOf(await new Browser().request(authorizeUrl(client.clientId, { prompt: "none" })))
    expect(callback.searchParams.get("error")).toBe("login_required")
    expect(callback.searchParams.get("state")).toBe("state-123")
  })

  it("prompt=none with a session but no consent answers consent_required", async () => {
    const first = await seedClient({ skipConsent: true })
    const second = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    await signIn(browser, first, user)
    const callback = callbackOf(await browser.request(authorizeUrl(second.clientId, { prompt: "none" })))
    expect(callback.searchParams.get("error")).toBe("consent_required")
  })

  it("prompt=none with a session and remembered consent returns a code", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    await signIn(browser, client, user)
    expect(callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none" }))).searchParams.get("code")).toBeTruthy()
  })

  it("prompt=login forces a fresh login even with a session, and does not loop after it", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    await signIn(browser, client, user)
    expect(await isLoginPage(await browser.request(authorizeUrl(client.clientId, { prompt: "login" })))).toBe(true)
    expect((await signIn(browser, client, user, { prompt: "login" })).searchParams.get("code")).toBeTruthy()
  })

  it("prompt=consent shows the consent page even when consent is remembered", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    await signIn(browser, client, user)
    const response = await browser.request(authorizeUrl(client.clientId, { prompt: "consent" }))
    // The consent page is rendered in the answer itself (issue 10: no extra redirect round trip).
    expect(response.status).toBe(200)
    const form = parseForm(await response.text())
    expect(form).toMatchObject({ method: "POST", action: "/consent" })
    expect(form!.buttons.map((b) => b.value)).toEqual(["approve", "deny"])
  })
})

describe("max_age — OIDC Core §3.1.2.1", () => {
  it("max_age=0 forces a login now, then completes", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    await signIn(browser, client, user)
    expect(await isLoginPage(await browser.request(authorizeUrl(client.clientId, { max_age: "0" })))).toBe(true)
    expect((await signIn(browser, client, user, { max_age: "0" })).searchParams.get("code")).toBeTruthy()
  })

  it("a recent enough authentication satisfies max_age", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    await signIn(browser, client, user)
    expect(callbackOf(await browser.request(authorizeUrl(client.clientId, { max_age: "3600" }))).searchParams.get("code")).toBeTruthy()
  })
})
