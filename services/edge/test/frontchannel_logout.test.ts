/**
 * OpenID Connect Front-Channel Logout 1.0 through the edge with the real
 * backends: client metadata (registration and validation), discovery, and the
 * /end_session result page that loads each RP's `frontchannel_logout_uri` in
 * an iframe (with `iss` and `sid`, the `sid` of the ID token) under a CSP
 * that frames exactly those origins, then continues to the registered
 * post-logout redirect. A chromium test in e2e shows a real browser loading
 * the frames (frontchannel_logout.browser.e2e.test.ts).
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, decodeEntities, ORIGIN } from "./support/browser.ts"
import { seedClient, seedUser, type SeededClient } from "./support/fixtures.ts"
import { jwtPayload, pkcePair, redeemCode, signIn } from "./support/flows.ts"

const LOGGED_OUT = "https://rp.test/logged-out"
const FRONT_A = "https://rp-a.test/fc-logout?tenant=blue"
const FRONT_B = "https://rp-b.test:8443/front"

/** Signs `user` in with `client` in `browser`; the ID token's `sid`. */
const signInWith = async (browser: Browser, client: SeededClient, user: Awaited<ReturnType<typeof seedUser>>) => {
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(browser, client, user, { code_challenge: challenge, code_challenge_method: "S256" })
  const tokens = await (await redeemCode(client, callback.searchParams.get("code")!, verifier)).json<{ id_token: string }>()
  return { idToken: tokens.id_token, sid: String(jwtPayload(tokens.id_token).sid) }
}

const endSession = (browser: Browser, params: Record<string, string>) => {
  const url = new URL("/end_session", ORIGIN)
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return browser.request(url.toString())
}

/** The iframe `src` values of a page, HTML-unescaped. */
const frameSources = (html: string): ReadonlyArray<string> =>
  [...html.matchAll(/<iframe src="([^"]*)"/g)].map((m) => decodeEntities(m[1]!))

describe("Front-Channel Logout 1.0 — the end_session page", () => {
  it("loads each RP's frontchannel_logout_uri with iss and sid, frames only those origins, then continues to the RP", async () => {
    const a = await seedClient({ postLogoutRedirectUris: [LOGGED_OUT], frontchannelLogoutUri: FRONT_A, frontchannelLogoutSessionRequired: true })
    const b = await seedClient({ frontchannelLogoutUri: FRONT_B })
    const quiet = await seedClient({})
    const user = await seedUser()
    const browser = new Browser()
    const { idToken, sid } = await signInWith(browser, a, user)
    await signInWith(browser, b, user)
    await signInWith(browser, quiet, user)

    const page = await endSession(browser, { id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: "st-f" })
    expect(page.status).toBe(200)
    expect(page.headers.getSetCookie().some((c) => c.startsWith("__Host-authrim_session=;"))).toBe(true)
    const csp = page.headers.get("content-security-policy")!
    const frameSrc = csp.split("; ").find((directive) => directive.startsWith("frame-src "))!
    expect(frameSrc.split(" ").slice(1).sort()).toEqual(["https://rp-a.test", "https://rp-b.test:8443"])
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toMatch(/script-src 'nonce-[0-9a-f]{32}'/)
    const html = await page.text()
    const frames = frameSources(html).map((src) => new URL(src))
    expect(frames.map((f) => `${f.origin}${f.pathname}`).sort()).toEqual(["https://rp-a.test/fc-logout", "https://rp-b.test:8443/front"])
    for (const frame of frames) {
      expect(frame.searchParams.get("iss")).toBe(ORIGIN)
      expect(frame.searchParams.get("sid")).toBe(sid)
    }
    expect(frames.find((f) => f.host === "rp-a.test")!.searchParams.get("tenant")).toBe("blue")
    // The way on: a plain link for browsers without JavaScript, followed by the script once the frames loaded.
    expect(decodeEntities(html)).toContain(`id="continue" href="${LOGGED_OUT}?state=st-f"`)
    expect(html).toMatch(/<html lang="en">/)
  })

  it("without a post_logout_redirect_uri the frames sit on the signed-out page, in Japanese when asked", async () => {
    const client = await seedClient({ frontchannelLogoutUri: FRONT_A })
    const user = await seedUser()
    const browser = new Browser()
    const { idToken } = await signInWith(browser, client, user)
    const page = await endSession(browser, { id_token_hint: idToken, ui_locales: "ja" })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(frameSources(html)).toHaveLength(1)
    expect(html).toMatch(/<html lang="ja">/)
    expect(html).toContain("サインアウト")
    expect(html).not.toContain('id="continue"')
    expect(html).not.toContain("<script")
  })

  it("a session whose RPs registered no front-channel URI ends with the plain redirect, no frames", async () => {
    const client = await seedClient({ postLogoutRedirectUris: [LOGGED_OUT] })
    const user = await seedUser()
    const browser = new Browser()
    const { idToken } = await signInWith(browser, client, user)
    const response = await endSession(browser, { id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT })
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe(LOGGED_OUT)
  })

  it("the frames name only RPs of the ended session, not other sessions of the same user", async () => {
    const mine = await seedClient({ frontchannelLogoutUri: FRONT_A })
    const elsewhere = await seedClient({ frontchannelLogoutUri: FRONT_B })
    const user = await seedUser()
    const here = new Browser()
    const { idToken } = await signInWith(here, mine, user)
    await signInWith(new Browser(), elsewhere, user)
    const html = await (await endSession(here, { id_token_hint: idToken })).text()
    expect(frameSources(html).map((src) => new URL(src).host)).toEqual(["rp-a.test"])
  })
})

describe("Front-Channel Logout 1.0 §2 — client metadata", () => {
  it("the identity service refuses a non-https, fragment or relative frontchannel_logout_uri (http only on loopback)", async () => {
    for (const uri of ["http://rp.test/fc", "https://rp.test/fc#x", "/fc", "javascript:alert(1)"]) {
      const result = await env.IDENTITY_SEED.upsertClient({ clientId: `fc-bad-${crypto.randomUUID()}`, redirectUris: ["https://rp.test/cb"], frontchannelLogoutUri: uri })
      expect(result._tag, uri).toBe("Failure")
      if (result._tag === "Failure") expect(result.error).toMatchObject({ _tag: "OAuthError", code: "invalid_client_metadata" })
    }
    const local = await env.IDENTITY_SEED.upsertClient({ clientId: `fc-local-${crypto.randomUUID()}`, redirectUris: ["https://rp.test/cb"], frontchannelLogoutUri: "http://127.0.0.1:9999/fc" })
    expect(local._tag).toBe("Success")
  })

  it("dynamic registration accepts, answers and validates frontchannel_logout_uri", async () => {
    const register = (body: unknown) =>
      env.IDENTITY_ADMIN.createInitialAccessToken({ adminUserId: "admin-test" }).then(async (issued) => {
        if (issued._tag === "Failure") throw new Error(JSON.stringify(issued.error))
        return new Browser().request("/register", {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${issued.value.token}` },
          body: JSON.stringify(body)
        })
      })
    const ok = await register({ redirect_uris: ["https://rp.test/cb"], frontchannel_logout_uri: FRONT_A, frontchannel_logout_session_required: true })
    expect(ok.status).toBe(201)
    expect(await ok.json()).toMatchObject({ frontchannel_logout_uri: FRONT_A, frontchannel_logout_session_required: true })
    const bad = await register({ redirect_uris: ["https://rp.test/cb"], frontchannel_logout_uri: "http://rp.test/fc" })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: "invalid_client_metadata" })
    const wrongType = await register({ redirect_uris: ["https://rp.test/cb"], frontchannel_logout_uri: FRONT_A, frontchannel_logout_session_required: "yes" })
    expect(wrongType.status).toBe(400)
  })
})
