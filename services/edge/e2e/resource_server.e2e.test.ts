/**
 * The example resource server (examples/resource-server, issue 13 §1) beside
 * the stack: another team's Worker that binds authrim-tokens'
 * TokensForResourceServers and protects `GET /notes` with @authrim/client.
 * Tokens come from openid-client against the stack, as an RP gets them.
 * RFC 6750 §3 (Bearer challenges), RFC 9068 §4 (aud, exp), RFC 7009
 * (revocation), RFC 9449 §7 (DPoP at a resource).
 *
 * Audience: Authrim's access tokens carry `aud` = `<issuer>/userinfo`
 * (contracts/src/access_token.ts), so `notes` is configured for that audience
 * and `otherNotes` (the same Worker, another API's audience) must refuse them.
 *
 * Expiry, honestly: the admin API shortens the access-token lifetime to its
 * minimum (60 s), a refresh returns a token with that lifetime, the setting is
 * put back at once, and the test waits the minute out. The only lasting effect
 * on the other tests: up to 30 s (the tokens service's settings copy) of
 * 60-second access tokens.
 */
import { decodeJwt } from "jose"
import * as oidc from "openid-client"
import { describe, expect, inject, it } from "vitest"
import { Browser } from "./browser.ts"
import { issuer, redeem, redirectUri, rpFor, signIn } from "./rp.ts"

const notes = () => `${inject("notesUrl")}/notes`
const otherNotes = () => `${inject("otherNotesUrl")}/notes`
const algs = 'algs="ES256 ES384 PS256 RS256 EdDSA"'

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers })
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const errorOf = async (response: Response) => ((await response.json()) as { error?: string }).error

/** Alice's tokens through the confidential code-flow client (openid-client, PKCE, state, nonce). */
const aliceTokens = async () => {
  const config = await rpFor("e2e-basic")
  return { config, tokens: await redeem(config, await signIn(config)) }
}

describe("GET /notes with a Bearer token — RFC 6750, RFC 9068 §4", () => {
  it("a valid token: 200 with the caller's notes (openid-client's fetchProtectedResource)", async () => {
    const { config, tokens } = await aliceTokens()
    const response = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(notes()), "GET")
    expect(response.status).toBe(200)
    const body = (await response.json()) as { owner: string; client: string; tokenType: string; notes: Array<unknown> }
    expect(body).toMatchObject({ owner: tokens.claims()!.sub, client: "e2e-basic", tokenType: "Bearer" })
    expect(body.notes.length).toBeGreaterThan(0)
  })

  it("no token: 401 with Bearer and DPoP challenges and no error code (§3.1)", async () => {
    const response = await get(notes())
    expect(response.status).toBe(401)
    expect(response.headers.get("www-authenticate")).toBe(`Bearer realm="notes", DPoP realm="notes", ${algs}`)
  })

  it("a garbage token: 401 invalid_token", async () => {
    const response = await get(notes(), bearer("not-a-jwt"))
    expect(response.status).toBe(401)
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="notes", error="invalid_token", error_description="access token is invalid"')
  })

  it("a revoked token (RFC 7009 at /revoke): 401 invalid_token", async () => {
    const { config, tokens } = await aliceTokens()
    expect((await get(notes(), bearer(tokens.access_token))).status).toBe(200)
    await oidc.tokenRevocation(config, tokens.access_token, { token_type_hint: "access_token" })
    const response = await get(notes(), bearer(tokens.access_token))
    expect(response.status).toBe(401)
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="notes", error="invalid_token", error_description="access token revoked"')
    expect(await errorOf(response)).toBe("invalid_token")
  })

  it("a token for another audience: 401 invalid_token at the API configured for another audience", async () => {
    const { tokens } = await aliceTokens()
    expect((await get(notes(), bearer(tokens.access_token))).status).toBe(200)
    const response = await get(otherNotes(), bearer(tokens.access_token))
    expect(response.status).toBe(401)
    expect(response.headers.get("www-authenticate"))
      .toBe('Bearer realm="notes", error="invalid_token", error_description="access token is not for this audience"')
  })
})

describe("GET /notes with a DPoP-bound token — RFC 9449 §7", () => {
  it("without a proof: 401 with the DPoP challenge; with openid-client's proof: 200", async () => {
    const config = await rpFor("e2e-dpop")
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair())
    const flow = await signIn(config)
    const tokens = await oidc.authorizationCodeGrant(config, flow.url,
      { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true }, undefined, { DPoP })
    expect(tokens.token_type.toLowerCase()).toBe("dpop")

    const noProof = await get(notes(), { authorization: `DPoP ${tokens.access_token}` })
    expect(noProof.status).toBe(401)
    expect(noProof.headers.get("www-authenticate"))
      .toBe(`DPoP realm="notes", error="invalid_token", error_description="a DPoP proof is required with a DPoP-bound access token", ${algs}`)
    // Presented as a plain Bearer token (stolen, no key): refused with the DPoP challenge too.
    const asBearer = await get(notes(), bearer(tokens.access_token))
    expect(asBearer.status).toBe(401)
    expect(asBearer.headers.get("www-authenticate")).toMatch(/^DPoP realm="notes", error="invalid_token", /)

    const response = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(notes()), "GET", null, undefined, { DPoP })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ owner: tokens.claims()!.sub, client: "e2e-dpop", tokenType: "DPoP" })
  })
})

/** An admin's access token (scope admin) for the admin API, through the e2e-rs-admin client. */
const adminToken = async (): Promise<string> => {
  const config = await rpFor("e2e-rs-admin")
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: "openid admin", state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: "S256"
  })
  const flow = await new Browser(issuer()).authorize(url.toString(), { email: "rs-admin@e2e.test", password: "rs-admin-password-1", decision: "approve" })
  const tokens = await oidc.authorizationCodeGrant(config, flow.url, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true })
  return tokens.access_token
}

/** PATCHes the access-token lifetime through the admin API (If-Match the current version). */
const setAccessTokenLifetime = async (admin: string, seconds: number): Promise<number> => {
  const settingsUrl = `${issuer()}/admin/api/v1/settings`
  const current = await fetch(settingsUrl, { headers: bearer(admin) })
  expect(current.status).toBe(200)
  const before = ((await current.json()) as { accessTokenLifetimeSeconds: number }).accessTokenLifetimeSeconds
  const patched = await fetch(settingsUrl, {
    method: "PATCH",
    headers: { ...bearer(admin), "content-type": "application/json", "if-match": current.headers.get("etag") ?? "" },
    body: JSON.stringify({ accessTokenLifetimeSeconds: seconds })
  })
  expect(patched.status).toBe(200)
  return before
}

describe("GET /notes with an expired token — RFC 9068 §4 (exp)", () => {
  it("a token past its exp: 401 invalid_token", { timeout: 180_000 }, async () => {
    const { config, tokens } = await aliceTokens()
    const admin = await adminToken()
    const original = await setAccessTokenLifetime(admin, 60)
    let shortLived: oidc.TokenEndpointResponse | undefined
    try {
      // The tokens service reads the settings through a copy refreshed at most every 30 s: refresh until a token has the new lifetime.
      let refreshToken = tokens.refresh_token!
      for (let attempt = 0; attempt < 25 && shortLived === undefined; attempt++) {
        const refreshed = await oidc.refreshTokenGrant(config, refreshToken)
        refreshToken = refreshed.refresh_token ?? refreshToken
        if ((refreshed.expires_in ?? Infinity) <= 60) shortLived = refreshed
        else await new Promise((r) => setTimeout(r, 2_000))
      }
    } finally {
      await setAccessTokenLifetime(admin, original)
    }
    expect(shortLived).toBeDefined()
    const accessToken = shortLived!.access_token
    expect((await get(notes(), bearer(accessToken))).status).toBe(200)
    const exp = decodeJwt(accessToken).exp!
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 1_500))
    const response = await get(notes(), bearer(accessToken))
    expect(response.status).toBe(401)
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="notes", error="invalid_token", error_description="access token expired"')
  })
})
