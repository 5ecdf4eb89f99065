/**
 * Front-Channel Logout 1.0 in a real browser: Debian's Chromium through
 * playwright-core against the `wrangler dev` stack. openid-client builds the
 * authorization and end-session URLs and redeems the code; the user signs in
 * by the hosted login page, then RP-initiated logout shows the page that loads
 * the RP's `frontchannel_logout_uri` in an iframe — the RP's server (Node,
 * frontchannel_rp.ts) sees that request with `iss` and the ID token's `sid` —
 * and the browser then lands on the registered post-logout redirect with
 * `state`, signed out.
 */
import * as oidc from "openid-client"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { launchChromium } from "./chromium.ts"
import { FRONTCHANNEL_CLIENT_ID, frontchannelRpUrl, startFrontchannelRp } from "./frontchannel_rp.ts"
import { issuer, rpFor } from "./rp.ts"

const user = { email: "frontchannel-browser@e2e.test", password: "frontchannel-browser-password-1" }

let browser: Browser
let rp: Awaited<ReturnType<typeof startFrontchannelRp>>
beforeAll(async () => {
  rp = await startFrontchannelRp(inject("frontchannelPort"))
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await rp?.stop()
})

describe("Front-Channel Logout 1.0 — real browser, openid-client", () => {
  it("the end_session page loads the RP's logout iframe with iss and sid, then returns to the RP signed out", async () => {
    const port = inject("frontchannelPort")
    const config = await rpFor(FRONTCHANNEL_CLIENT_ID)
    expect(config.serverMetadata().frontchannel_logout_supported).toBe(true)
    expect(config.serverMetadata().frontchannel_logout_session_supported).toBe(true)
    const codeVerifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const redirectUri = frontchannelRpUrl(port, "/cb")
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: "openid", state,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: "S256"
    })

    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(authorizationUrl.toString())
    await page.getByLabel("Email").fill(user.email)
    await page.getByLabel("Password").fill(user.password)
    await page.getByRole("button", { name: "Sign in" }).click()
    await page.waitForURL((url) => url.toString().startsWith(redirectUri))
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: codeVerifier, expectedState: state, idTokenExpected: true })
    const sid = tokens.claims()!.sid

    const logoutUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!, post_logout_redirect_uri: frontchannelRpUrl(port, "/logged-out"), state: "fc-state"
    })
    await page.goto(logoutUrl.toString())
    await page.waitForURL((url) => url.pathname === "/logged-out", { timeout: 20_000 })
    expect(new URL(page.url()).searchParams.get("state")).toBe("fc-state")

    // The RP's server saw the iframe's request before the browser came back.
    const frame = rp.received.find((r) => r.path === "/fc")
    expect(frame, JSON.stringify(rp.received.map((r) => r.path))).toBeDefined()
    expect(frame!.query.get("iss")).toBe(issuer())
    expect(frame!.query.get("sid")).toBe(sid)
    expect(frame!.query.get("rp")).toBe("e2e")
    const back = rp.received.find((r) => r.path === "/logged-out")!
    expect(frame!.at).toBeLessThanOrEqual(back.at)

    // Signed out at the provider: a new authorization shows the sign-in form (rendered at /authorize) again.
    await page.goto(authorizationUrl.toString())
    expect(new URL(page.url()).pathname).toBe("/authorize")
    expect(await page.getByLabel("Password").count()).toBe(1)
    await context.close()
  })
})
