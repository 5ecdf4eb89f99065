import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN, parseForm } from "./support/browser.ts"
import { REDIRECT_URI, seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, pkcePair, redeemCode, signIn, submitConsentForm, submitLoginForm } from "./support/flows.ts"

const expectHardenedPage = (response: Response) => {
  expect(response.headers.get("content-type")).toContain("text/html")
  expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'")
  expect(response.headers.get("x-frame-options")).toBe("DENY")
  expect(response.headers.get("referrer-policy")).toBe("no-referrer")
  expect(response.headers.get("x-content-type-options")).toBe("nosniff")
  expect(response.headers.get("cache-control")).toBe("no-store")
}

describe("Authorization code flow — OIDC Core §3.1", () => {
  it("walks login → consent → code → tokens → userinfo with a confidential client", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const { verifier, challenge } = await pkcePair()

    // offline_access: the client gets a refresh token (issue 9 §2, OIDC Core §11).
    const loginPage = await browser.follow(await browser.request(authorizeUrl(client.clientId, {
      scope: "openid profile email offline_access", code_challenge: challenge, code_challenge_method: "S256"
    })))
    expect(loginPage.status).toBe(200)
    expectHardenedPage(loginPage)
    const loginForm = parseForm(await loginPage.clone().text())
    expect(loginForm).toMatchObject({ method: "POST", action: "/login" })
    expect(Object.keys(loginForm!.fields).sort()).toEqual(["csrf", "email", "password", "tx"])

    // The login answer is the consent page itself (issue 10: no redirect round trip), with the session cookie.
    const afterLogin = await submitLoginForm(browser, loginPage, user)
    expect(afterLogin.status).toBe(200)
    const session = [...browser.cookies.keys()]
    expect(session).toContain("__Host-authrim_session")
    const setCookie = afterLogin.headers.getSetCookie().find((c) => c.startsWith("__Host-authrim_session="))!
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"]) expect(setCookie).toContain(attribute)

    const consentPage = await browser.follow(afterLogin)
    expect(consentPage.status).toBe(200)
    expectHardenedPage(consentPage)
    const callback = callbackOf(await submitConsentForm(browser, consentPage, "approve"))
    expect(callback.searchParams.get("state")).toBe("state-123")
    expect(callback.searchParams.get("iss")).toBe(ORIGIN)
    const code = callback.searchParams.get("code")!

    const tokenResponse = await redeemCode(client, code, verifier)
    expect(tokenResponse.status).toBe(200)
    expect(tokenResponse.headers.get("cache-control")).toBe("no-store")
    expect(tokenResponse.headers.get("pragma")).toBe("no-cache")
    const tokens = await tokenResponse.json<Record<string, string>>()
    expect(tokens.token_type).toBe("Bearer")
    expect(tokens.refresh_token).toBeTruthy()

    const jwks = await (await browser.request("/jwks")).json<JSONWebKeySet>()
    const { payload } = await jwtVerify(tokens.id_token!, createLocalJWKSet(jwks), { issuer: ORIGIN, audience: client.clientId })
    expect(payload.nonce).toBe("nonce-456")
    expect(payload.sub).toBe(user.id)
    expect(payload.amr).toEqual(["pwd"])
    expect(payload.auth_time).toEqual(expect.any(Number))

    const userinfo = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } })
    expect(userinfo.status).toBe(200)
    expect(await userinfo.json()).toMatchObject({ sub: user.id, email: user.email })
  })

  it("remembers consent: the same browser signs in again without login or consent", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    await signIn(browser, client, user)
    const again = await browser.request(authorizeUrl(client.clientId, { state: "state-123" }))
    expect(callbackOf(again).searchParams.get("code")).toBeTruthy()
  })

  it("skips the consent page for first-party clients (skipConsent)", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const loginPage = await browser.follow(await browser.request(authorizeUrl(client.clientId)))
    const afterLogin = await submitLoginForm(browser, loginPage, user)
    expect(callbackOf(afterLogin).searchParams.get("code")).toBeTruthy()
  })

  it("sends access_denied to the RP when the user denies consent", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const loginPage = await browser.follow(await browser.request(authorizeUrl(client.clientId)))
    const consentPage = await browser.follow(await submitLoginForm(browser, loginPage, user))
    const callback = callbackOf(await submitConsentForm(browser, consentPage, "deny"))
    expect(callback.searchParams.get("error")).toBe("access_denied")
    expect(callback.searchParams.get("state")).toBe("state-123")
    expect(callback.searchParams.get("iss")).toBe(ORIGIN)
  })

  it("re-shows the login form with 401 after a wrong password, and the transaction survives", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const loginPage = await browser.follow(await browser.request(authorizeUrl(client.clientId)))
    const wrong = await submitLoginForm(browser, loginPage.clone(), { email: user.email, password: "wrong-password" })
    expect(wrong.status).toBe(401)
    expect(browser.cookies.has("__Host-authrim_session")).toBe(false)
    const html = await wrong.text()
    expect(html).toContain("Incorrect email or password")
    expect(callbackOf(await submitLoginForm(browser, new Response(html), user)).searchParams.get("code")).toBeTruthy()
  })

  it("prefills the email from login_hint", async () => {
    const client = await seedClient()
    const browser = new Browser()
    const page = await browser.follow(await browser.request(authorizeUrl(client.clientId, { login_hint: "hint@example.test" })))
    expect(parseForm(await page.text())?.fields.email).toBe("hint@example.test")
  })

  it("delivers the code by form_post when response_mode=form_post", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const loginPage = await browser.follow(await browser.request(authorizeUrl(client.clientId, { response_mode: "form_post" })))
    const response = await submitLoginForm(browser, loginPage, user)
    expect(response.status).toBe(200)
    const html = await response.text()
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1]
    expect(response.headers.get("content-security-policy")).toContain(`script-src 'nonce-${nonce}'`)
    const form = parseForm(html)
    expect(form).toMatchObject({ action: REDIRECT_URI, method: "POST" })
    expect(form!.fields).toMatchObject({ state: "state-123", iss: ORIGIN })
    expect(form!.fields.code).toBeTruthy()
  })
})

describe("CSRF on the login and consent forms — double submit bound to the transaction", () => {
  const loginPageFor = async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const page = await browser.follow(await browser.request(authorizeUrl(client.clientId)))
    return { browser, user, form: parseForm(await page.text())! }
  }

  it("refuses a login post without the csrf field", async () => {
    const { browser, user, form } = await loginPageFor()
    const { csrf: _dropped, ...fields } = form.fields
    const response = await browser.post("/login", { ...fields, email: user.email, password: user.password })
    expect(response.status).toBe(400)
    expect(response.headers.get("location")).toBeNull()
    expect(browser.cookies.has("__Host-authrim_session")).toBe(false)
  })

  it("refuses a login post from a browser without the CSRF cookie (a cross-site forgery)", async () => {
    const { user, form } = await loginPageFor()
    const attacker = new Browser()
    const response = await attacker.post("/login", { ...form.fields, email: user.email, password: user.password })
    expect(response.status).toBe(400)
    expect(attacker.cookies.has("__Host-authrim_session")).toBe(false)
  })

  it("refuses a consent post whose csrf does not match", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const loginPage = await browser.follow(await browser.request(authorizeUrl(client.clientId)))
    const consentPage = await browser.follow(await submitLoginForm(browser, loginPage, user))
    const form = parseForm(await consentPage.text())!
    const response = await browser.post("/consent", { ...form.fields, csrf: "x".repeat(43), decision: "approve" })
    expect(response.status).toBe(400)
    expect(response.headers.get("location")).toBeNull()
  })
})

describe("Pending authorization — single use (ChallengeStore)", () => {
  it("a replayed login post cannot complete the transaction twice", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const page = await (await browser.follow(await browser.request(authorizeUrl(client.clientId)))).text()
    const first = await submitLoginForm(browser, new Response(page), user)
    expect(callbackOf(first).searchParams.get("code")).toBeTruthy()
    const replay = await submitLoginForm(browser, new Response(page), user)
    expect(replay.status).toBe(400)
    expect(replay.headers.get("location")).toBeNull()
  })

  it("20 concurrent posts of one login form: exactly one gets a code (the rest: used, or rate limited)", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const page = await (await browser.follow(await browser.request(authorizeUrl(client.clientId)))).text()
    const responses = await Promise.all(Array.from({ length: 20 }, () => submitLoginForm(browser, new Response(page), user)))
    const winners = responses.filter((r) => r.status === 303 && new URL(r.headers.get("location")!).searchParams.has("code"))
    expect(winners).toHaveLength(1)
    expect(responses.every((r) => r.status === 303 || r.status === 400 || r.status === 429)).toBe(true)
  })

  it("20 concurrent approvals of one consent form: exactly one gets a code", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const loginPage = await browser.follow(await browser.request(authorizeUrl(client.clientId)))
    const consentHtml = await (await browser.follow(await submitLoginForm(browser, loginPage, user))).text()
    const responses = await Promise.all(Array.from({ length: 20 }, () => submitConsentForm(browser, new Response(consentHtml), "approve")))
    const winners = responses.filter((r) => r.status === 303 && new URL(r.headers.get("location")!).searchParams.has("code"))
    expect(winners).toHaveLength(1)
    expect(responses.filter((r) => r.status === 400)).toHaveLength(19)
  })
})
