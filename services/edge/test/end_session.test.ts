/**
 * OpenID Connect RP-Initiated Logout 1.0 through the edge, with the real
 * backends: discovery, id_token_hint, registered post_logout_redirect_uri
 * (never an open redirect), state, the confirmation page, and that the
 * session is really gone afterwards.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN, parseForm } from "./support/browser.ts"
import { seedClient, seedUser, type SeededClient } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, jwtPayload, pkcePair, redeemCode, signIn } from "./support/flows.ts"

const LOGGED_OUT = "https://rp.test/logged-out"

const logoutClient = () => seedClient({ postLogoutRedirectUris: [LOGGED_OUT, "https://rp.test/bye?from=op"] })

/** Signs a fresh user in with `client` in `browser` and returns the ID token. */
const signedIn = async (client: SeededClient, browser = new Browser()) => {
  const user = await seedUser()
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(browser, client, user, { code_challenge: challenge, code_challenge_method: "S256" })
  const tokens = await (await redeemCode(client, callback.searchParams.get("code")!, verifier)).json<{ id_token: string }>()
  return { browser, user, idToken: tokens.id_token }
}

const endSessionUrl = (params: Record<string, string>) => {
  const url = new URL("/end_session", ORIGIN)
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return url.toString()
}

/** What `/authorize?prompt=none` answers this browser now. */
const silentAuthorization = async (browser: Browser, client: SeededClient) =>
  callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none" })))

const sessionCookieCleared = (response: Response) =>
  response.headers.getSetCookie().some((c) => c.startsWith("__Host-authrim_session=;") && /Max-Age=0/.test(c))

describe("Discovery — RP-Initiated Logout 1.0 §2.1, Back-Channel Logout 1.0 §2.1", () => {
  it("advertises the end_session_endpoint, back-channel and front-channel logout", async () => {
    const meta = await (await new Browser().request("/.well-known/openid-configuration")).json<Record<string, unknown>>()
    expect(meta.end_session_endpoint).toBe(`${ORIGIN}/end_session`)
    expect(meta.backchannel_logout_supported).toBe(true)
    expect(meta.backchannel_logout_session_supported).toBe(true)
    expect(meta.frontchannel_logout_supported).toBe(true)
    expect(meta.frontchannel_logout_session_supported).toBe(true)
  })
})

describe("id_token_hint — RP-Initiated Logout 1.0 §2", () => {
  it("a hint for the current session logs out at once, clears the cookie and returns to the registered URI with state", async () => {
    const client = await logoutClient()
    const { browser, idToken } = await signedIn(client)
    expect((await silentAuthorization(browser, client)).searchParams.get("code")).toBeTruthy()
    const response = await browser.request(endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: "st-1", ui_locales: "fr", logout_hint: "x" }))
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe(`${LOGGED_OUT}?state=st-1`)
    expect(sessionCookieCleared(response)).toBe(true)
    expect((await silentAuthorization(browser, client)).searchParams.get("error")).toBe("login_required")
  })

  it("the session is ended server-side, not only the cookie: the old cookie no longer works", async () => {
    const client = await logoutClient()
    const { browser, idToken } = await signedIn(client)
    const cookie = browser.cookies.get("__Host-authrim_session")!
    await browser.request(endSessionUrl({ id_token_hint: idToken }))
    const replay = new Browser()
    replay.cookies.set("__Host-authrim_session", cookie)
    expect((await silentAuthorization(replay, client)).searchParams.get("error")).toBe("login_required")
  })

  it("keeps the registered URI's own query and works by POST too", async () => {
    const client = await logoutClient()
    const { browser, idToken } = await signedIn(client)
    const response = await browser.post("/end_session", { id_token_hint: idToken, post_logout_redirect_uri: "https://rp.test/bye?from=op", state: "s 2" })
    expect(response.status).toBe(303)
    const location = new URL(response.headers.get("location")!)
    expect(location.searchParams.get("from")).toBe("op")
    expect(location.searchParams.get("state")).toBe("s 2")
  })

  it("without a post_logout_redirect_uri shows the signed-out page", async () => {
    const client = await logoutClient()
    const { browser, idToken } = await signedIn(client)
    const response = await browser.request(endSessionUrl({ id_token_hint: idToken, state: "ignored" }))
    expect(response.status).toBe(200)
    expect(response.headers.get("location")).toBeNull()
    expect(await response.text()).toContain("You are signed out")
    expect((await silentAuthorization(browser, client)).searchParams.get("error")).toBe("login_required")
  })

  it("an invalid or forged hint is an error page, and the session survives", async () => {
    const client = await logoutClient()
    const { browser, idToken } = await signedIn(client)
    const [h, , s] = idToken.split(".")
    const forged = `${h}.${btoa(JSON.stringify({ ...jwtPayload(idToken), sub: "someone-else" })).replace(/=+$/, "")}.${s}`
    for (const hint of [forged, "garbage"]) {
      const response = await browser.request(endSessionUrl({ id_token_hint: hint, post_logout_redirect_uri: LOGGED_OUT }))
      expect(response.status).toBe(400)
      expect(response.headers.get("location")).toBeNull()
    }
    expect((await silentAuthorization(browser, client)).searchParams.get("code")).toBeTruthy()
  })

  it("a client_id that is not the hint's audience is an error page", async () => {
    const client = await logoutClient()
    const other = await logoutClient()
    const { browser, idToken } = await signedIn(client)
    const response = await browser.request(endSessionUrl({ id_token_hint: idToken, client_id: other.clientId, post_logout_redirect_uri: LOGGED_OUT }))
    expect(response.status).toBe(400)
    expect(response.headers.get("location")).toBeNull()
  })
})

describe("post_logout_redirect_uri — RP-Initiated Logout 1.0 §3 (no open redirect)", () => {
  it("an unregistered URI is a page, never a redirect, and the session survives", async () => {
    const client = await logoutClient()
    const { browser, idToken } = await signedIn(client)
    for (const uri of ["https://evil.example/", `${LOGGED_OUT}/x`, `${LOGGED_OUT}?a=1`, "https://rp.test/cb"]) {
      const response = await browser.request(endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: uri, state: "s" }))
      expect(response.status).toBe(400)
      expect(response.headers.get("location")).toBeNull()
      expect(await response.text()).toContain("not registered")
    }
    expect((await silentAuthorization(browser, client)).searchParams.get("code")).toBeTruthy()
  })

  it("a URI without client_id or id_token_hint is a page (the client cannot be known)", async () => {
    const response = await new Browser().request(endSessionUrl({ post_logout_redirect_uri: LOGGED_OUT }))
    expect(response.status).toBe(400)
    expect(response.headers.get("location")).toBeNull()
  })

  it("an unknown client_id is a page", async () => {
    const response = await new Browser().request(endSessionUrl({ client_id: "no-such-client", post_logout_redirect_uri: LOGGED_OUT }))
    expect(response.status).toBe(400)
    expect(response.headers.get("location")).toBeNull()
  })

  it("without a session, client_id + a registered URI returns to the RP with state", async () => {
    const client = await logoutClient()
    const response = await new Browser().request(endSessionUrl({ client_id: client.clientId, post_logout_redirect_uri: LOGGED_OUT, state: "st" }))
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe(`${LOGGED_OUT}?state=st`)
  })
})

describe("Confirmation — RP-Initiated Logout 1.0 §2 (user asked without a matching hint)", () => {
  it("asks first; the CSRF-checked form signs out and returns to the registered URI with state", async () => {
    const client = await logoutClient()
    const { browser } = await signedIn(client)
    const page = await browser.request(endSessionUrl({ client_id: client.clientId, post_logout_redirect_uri: LOGGED_OUT, state: "st-c" }))
    expect(page.status).toBe(200)
    expect(page.headers.get("x-frame-options")).toBe("DENY")
    const form = parseForm(await page.text())!
    expect(form.action).toBe("/end_session/confirm")
    expect(form.buttons.map((b) => b.value)).toEqual(["logout", "stay"])
    // Still signed in until the user confirms.
    expect((await silentAuthorization(browser, client)).searchParams.get("code")).toBeTruthy()
    const done = await browser.post(form.action, { ...form.fields, decision: "logout" })
    expect(done.status).toBe(303)
    expect(done.headers.get("location")).toBe(`${LOGGED_OUT}?state=st-c`)
    expect((await silentAuthorization(browser, client)).searchParams.get("error")).toBe("login_required")
  })

  it("a hint for another session of the same browser's user is not enough: the user is asked", async () => {
    const client = await logoutClient()
    const { browser } = await signedIn(client)
    const { idToken: someoneElses } = await signedIn(client)
    const page = await browser.request(endSessionUrl({ id_token_hint: someoneElses }))
    expect(page.status).toBe(200)
    expect(parseForm(await page.text())?.action).toBe("/end_session/confirm")
  })

  it("a forged confirmation (no or wrong CSRF token) signs nobody out", async () => {
    const client = await logoutClient()
    const { browser } = await signedIn(client)
    const form = parseForm(await (await browser.request(endSessionUrl({ client_id: client.clientId }))).text())!
    for (const csrf of [undefined, "x".repeat(43)]) {
      const fields: Record<string, string> = { ...form.fields, decision: "logout" }
      if (csrf === undefined) delete fields.csrf
      else fields.csrf = csrf
      expect((await browser.post(form.action, fields)).status).toBe(400)
    }
    expect((await silentAuthorization(browser, client)).searchParams.get("code")).toBeTruthy()
  })

  it("\"stay signed in\" keeps the session", async () => {
    const client = await logoutClient()
    const { browser } = await signedIn(client)
    const form = parseForm(await (await browser.request(endSessionUrl({ client_id: client.clientId }))).text())!
    const response = await browser.post(form.action, { ...form.fields, decision: "stay" })
    expect(response.status).toBe(200)
    expect((await silentAuthorization(browser, client)).searchParams.get("code")).toBeTruthy()
  })
})

describe("Logged-in clients — Back-Channel Logout 1.0 §2.1", () => {
  it("the session remembers each RP it received a code for, and hands them over when it ends", async () => {
    const first = await logoutClient()
    const second = await seedClient({ skipConsent: true })
    const { browser, user, idToken } = await signedIn(first)
    await signIn(browser, second, user)
    const sid = jwtPayload(idToken).sid as string
    const ended = await env.SESSION.endSession({ sessionId: sid })
    expect(ended._tag).toBe("Success")
    if (ended._tag === "Success") expect([...ended.value.clientIds].sort()).toEqual([first.clientId, second.clientId].sort())
  })
})
