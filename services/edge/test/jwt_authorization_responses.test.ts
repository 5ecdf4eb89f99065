/**
 * JARM (JWT Secured Authorization Response Mode for OAuth 2.0): with
 * `response_mode=jwt|query.jwt|form_post.jwt` the authorization response —
 * the code, or the error, with state — arrives as ONE signed JWT in the
 * `response` parameter, checked here against the published JWKS with jose.
 * Errors found after the redirect_uri is trusted are wrapped too; before that
 * the browser gets the HTML error page, never a JWT.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN, parseForm } from "./support/browser.ts"
import { REDIRECT_URI, seedClient, seedUser, type SeededClient } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, pkcePair, redeemCode, submitConsentForm, submitLoginForm } from "./support/flows.ts"

/** Verifies a JARM response: RS256 with a published key, iss = the provider, aud = the client, a short exp. */
const verifyResponse = async (jwt: string, client: SeededClient): Promise<JWTPayload> => {
  const jwks = await (await new Browser().request("/jwks")).json<JSONWebKeySet>()
  const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: ORIGIN, audience: client.clientId, algorithms: ["RS256"] })
  expect(protectedHeader.typ).toBe("JWT")
  expect(typeof payload.iat).toBe("number")
  expect(payload.exp! - payload.iat!).toBeGreaterThan(0)
  expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(600)
  expect(payload.aud).toBe(client.clientId)
  return payload
}

/** The only query parameter of a JARM redirect: `response`. */
const responseOf = (callback: URL): string => {
  expect([...callback.searchParams.keys()]).toEqual(["response"])
  return callback.searchParams.get("response")!
}

/** Signs a fresh user in (login form) with `params`; returns the answer after the login (and consent, if asked). */
const signInWith = async (client: SeededClient, params: Record<string, string | null>, decision: "approve" | "deny" = "approve") => {
  const user = await seedUser()
  const browser = new Browser()
  const loginPage = await browser.follow(await browser.request(authorizeUrl(client.clientId, params)))
  let response = await browser.follow(await submitLoginForm(browser, loginPage, user))
  if (response.status === 200 && (await response.clone().text()).includes("name=\"decision\"")) response = await submitConsentForm(browser, response, decision)
  return response
}

describe("JARM — the code in a signed response JWT", () => {
  it.each(["jwt", "query.jwt"])("response_mode=%s: a 303 with only `response`; the JWT carries code and state, and the code redeems", async (mode) => {
    const client = await seedClient({ skipConsent: true })
    const { verifier, challenge } = await pkcePair()
    const callback = callbackOf(await signInWith(client, { response_mode: mode, code_challenge: challenge, code_challenge_method: "S256" }))
    const claims = await verifyResponse(responseOf(callback), client)
    expect(Object.keys(claims).sort()).toEqual(["aud", "code", "exp", "iat", "iss", "state"])
    expect(claims.state).toBe("state-123")
    const tokens = await redeemCode(client, String(claims.code), verifier)
    expect(tokens.status).toBe(200)
    expect(await tokens.json()).toHaveProperty("id_token")
  })

  it("response_mode=form_post.jwt: the auto-submitting form posts one `response` field to the redirect_uri", async () => {
    const client = await seedClient({ skipConsent: true })
    const response = await signInWith(client, { response_mode: "form_post.jwt" })
    expect(response.status).toBe(200)
    const form = parseForm(await response.text())
    expect(form).toMatchObject({ action: REDIRECT_URI, method: "POST" })
    expect(Object.keys(form!.fields)).toEqual(["response"])
    const claims = await verifyResponse(form!.fields.response!, client)
    expect(claims).toMatchObject({ state: "state-123", iss: ORIGIN })
    expect(claims.code).toEqual(expect.any(String))
  })

  it("without state the JWT has no state claim", async () => {
    const client = await seedClient({ skipConsent: true })
    const claims = await verifyResponse(responseOf(callbackOf(await signInWith(client, { response_mode: "jwt", state: null }))), client)
    expect(claims).not.toHaveProperty("state")
    expect(claims.code).toEqual(expect.any(String))
  })

  it("a refused consent comes back wrapped: access_denied with state, no code", async () => {
    const client = await seedClient()
    const callback = callbackOf(await signInWith(client, { response_mode: "query.jwt" }, "deny"))
    const claims = await verifyResponse(responseOf(callback), client)
    expect(claims).toMatchObject({ error: "access_denied", state: "state-123" })
    expect(claims).not.toHaveProperty("code")
  })
})

describe("JARM — errors after the redirect_uri is trusted are wrapped", () => {
  it.each([
    ["an unsupported response_type", { response_type: "token" }, "unsupported_response_type"],
    ["prompt=none without a session", { prompt: "none" }, "login_required"],
    ["a missing openid scope", { scope: "profile" }, "invalid_scope"]
  ] as const)("%s → %s inside the JWT", async (_label, params, error) => {
    const client = await seedClient()
    const callback = callbackOf(await new Browser().request(authorizeUrl(client.clientId, { ...params, response_mode: "jwt" })))
    const claims = await verifyResponse(responseOf(callback), client)
    expect(claims).toMatchObject({ error, state: "state-123" })
    expect(claims.error_description).toEqual(expect.any(String))
    expect(claims).not.toHaveProperty("code")
  })

  it("form_post.jwt errors are posted as one `response` field", async () => {
    const client = await seedClient()
    const response = await new Browser().request(authorizeUrl(client.clientId, { response_mode: "form_post.jwt", prompt: "none" }))
    expect(response.status).toBe(200)
    const form = parseForm(await response.text())
    expect(Object.keys(form!.fields)).toEqual(["response"])
    expect(await verifyResponse(form!.fields.response!, client)).toMatchObject({ error: "login_required", state: "state-123" })
  })
})

describe("JARM — ugly inputs", () => {
  it("an invalid redirect_uri in a jwt mode gets the HTML error page, never a redirect nor a JWT", async () => {
    const client = await seedClient()
    for (const mode of ["jwt", "query.jwt", "form_post.jwt"]) {
      const response = await new Browser().request(authorizeUrl(client.clientId, { response_mode: mode, redirect_uri: "https://evil.example/cb" }))
      expect(response.status).toBe(400)
      expect(response.headers.get("location")).toBeNull()
      expect(response.headers.get("content-type")).toContain("text/html")
      const html = await response.text()
      expect(html).not.toMatch(/name="response"/)
      expect(html).not.toContain("evil.example")
    }
  })

  it("an unknown client in a jwt mode gets the HTML error page", async () => {
    const response = await new Browser().request(authorizeUrl("no-such-client", { response_mode: "jwt" }))
    expect(response.status).toBe(400)
    expect(response.headers.get("location")).toBeNull()
  })

  it.each(["fragment", "fragment.jwt", "jwt.query", "JWT", "query.JWT", "form_post.jwt.jwt"])("response_mode=%s is invalid_request, reported in plain query mode", async (mode) => {
    const client = await seedClient()
    const callback = callbackOf(await new Browser().request(authorizeUrl(client.clientId, { response_mode: mode })))
    expect(callback.searchParams.get("response")).toBeNull()
    expect(callback.searchParams.get("error")).toBe("invalid_request")
    expect(callback.searchParams.get("error_description")).toContain("response_mode")
    expect(callback.searchParams.get("iss")).toBe(ORIGIN)
  })

  it("a duplicated response_mode is invalid_request, in plain query mode", async () => {
    const client = await seedClient()
    const url = new URL(authorizeUrl(client.clientId, { response_mode: "jwt" }))
    url.searchParams.append("response_mode", "jwt")
    const callback = callbackOf(await new Browser().request(url.toString()))
    expect(callback.searchParams.get("error")).toBe("invalid_request")
    expect(callback.searchParams.get("response")).toBeNull()
  })

  it("a JARM JWT does not pass for an ID token: no sub, no nonce", async () => {
    const client = await seedClient({ skipConsent: true })
    const jwt = responseOf(callbackOf(await signInWith(client, { response_mode: "jwt" })))
    const claims = await verifyResponse(jwt, client)
    expect(claims).not.toHaveProperty("sub")
    expect(claims).not.toHaveProperty("nonce")
    expect(decodeProtectedHeader(jwt).alg).toBe("RS256")
  })
})
