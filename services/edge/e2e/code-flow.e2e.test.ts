import * as oidc from "openid-client"
import { describe, expect, it } from "vitest"
import { Browser } from "./browser.ts"
import { alice, issuer, redeem, redirectUri, rpFor, signIn } from "./rp.ts"

describe("Discovery — OpenID Connect Discovery 1.0", () => {
  it("publishes metadata openid-client accepts", async () => {
    const config = await rpFor("e2e-public")
    const meta = config.serverMetadata()
    expect(meta.issuer).toBe(issuer())
    expect(meta.code_challenge_methods_supported).toContain("S256")
    expect(meta.authorization_response_iss_parameter_supported).toBe(true)
    const jwks = await (await fetch(meta.jwks_uri!)).json() as { keys: Array<{ kid: string; d?: string }> }
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2)
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true)
  })
})

describe("Authorization code + PKCE — public client (RFC 7636)", () => {
  it("signs in, validates the ID token and reads userinfo", async () => {
    const config = await rpFor("e2e-public")
    const flow = await signIn(config)
    expect(flow.url.origin + flow.url.pathname).toBe(redirectUri)
    expect(flow.url.searchParams.get("iss")).toBe(issuer())
    const tokens = await redeem(config, flow)
    const claims = tokens.claims()!
    expect(claims.iss).toBe(issuer())
    expect(claims.aud).toBe("e2e-public")
    expect(claims.nonce).toBe(flow.nonce)
    for (const claim of ["sub", "exp", "iat", "auth_time", "at_hash", "sid", "amr"]) expect(claims[claim]).toBeDefined()
    expect(tokens.token_type.toLowerCase()).toBe("bearer")
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)
    expect(userinfo.email).toBe(alice.email)
    expect(userinfo.name).toBe("Alice Example")
    // Seed round trip (issue 12 §4): the seed file's standard claims, released for the profile scope only.
    expect(userinfo).toMatchObject({ given_name: "Alice", family_name: "Example", preferred_username: "alice", locale: "en-GB", zoneinfo: "Europe/London", birthdate: "1985-06-15", website: "https://alice.example" })
    expect(userinfo).not.toHaveProperty("phone_number")
    expect(userinfo).not.toHaveProperty("address")
    // A custom field (issue 12 §4) seeded with its definition and a scope mapping: released under profile, typed (a JSON number).
    expect(userinfo["office_floor"]).toBe(3)
    expect(claims).not.toHaveProperty("office_floor")
  })

  it("unknown scope values are ignored, not refused (Core §3.1.2.1); the granted scope says what was kept", async () => {
    const config = await rpFor("e2e-public")
    const flow = await signIn(config, { scope: "openid email urn:example:unknown-scope admin" })
    expect(flow.url.searchParams.get("error")).toBeNull()
    const tokens = await redeem(config, flow)
    expect(tokens.scope?.split(" ").sort()).toEqual(["email", "openid"])
    expect((await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).email).toBe(alice.email)
  })

  it("rejects a wrong PKCE verifier with invalid_grant", async () => {
    const config = await rpFor("e2e-public")
    const flow = await signIn(config)
    const error = await redeem(config, { ...flow, codeVerifier: oidc.randomPKCECodeVerifier() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.ResponseBodyError)
    expect((error as oidc.ResponseBodyError).error).toBe("invalid_grant")
  })

  it("remembers consent: a second sign-in in the same browser needs neither login nor consent", async () => {
    const config = await rpFor("e2e-public")
    const first = await signIn(config)
    await redeem(config, first)
    const second = await signIn(config, {}, first.browser)
    expect(second.url.searchParams.get("code")).toBeTruthy()
    await redeem(config, second)
  })
})

describe("Confidential clients — RFC 6749 §2.3.1", () => {
  for (const clientId of ["e2e-basic", "e2e-post"]) {
    it(`${clientId} authenticates and redeems its code`, async () => {
      const config = await rpFor(clientId)
      const flow = await signIn(config)
      const tokens = await redeem(config, flow)
      expect(tokens.claims()!.aud).toBe(clientId)
      expect(tokens.refresh_token).toBeTruthy()
    })
  }

  it("rejects a wrong client secret with invalid_client", async () => {
    const good = await rpFor("e2e-basic")
    const flow = await signIn(good)
    const bad = await oidc.discovery(new URL(issuer()), "e2e-basic", undefined, oidc.ClientSecretBasic("wrong"), { execute: [oidc.allowInsecureRequests] })
    // RFC 6749 §5.2: 401 with a Basic challenge, which openid-client surfaces as a challenge error.
    const error = await redeem(bad, flow).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.WWWAuthenticateChallengeError)
    const challenge = error as oidc.WWWAuthenticateChallengeError
    expect(challenge.status).toBe(401)
    expect(challenge.cause[0]?.scheme).toBe("basic")
    expect(((await challenge.response.json()) as { error: string }).error).toBe("invalid_client")
  })
})

describe("Authorization errors — RFC 6749 §4.1.2.1", () => {
  it("shows an error page, never a redirect, for an unknown client", async () => {
    const browser = new Browser(issuer())
    const res = await browser.request(`${issuer()}/authorize?response_type=code&client_id=nobody&redirect_uri=${encodeURIComponent(redirectUri)}&scope=openid`)
    expect(res.status).toBe(400)
    expect(res.headers.get("location")).toBeNull()
    expect(res.headers.get("content-type")).toContain("text/html")
  })

  it("shows an error page, never a redirect, for a redirect_uri that is not registered exactly", async () => {
    const browser = new Browser(issuer())
    for (const uri of ["http://127.0.0.1:9999/cb/", "http://127.0.0.1:9999/cb?x=1", "https://evil.example/cb"]) {
      const res = await browser.request(`${issuer()}/authorize?response_type=code&client_id=e2e-basic&redirect_uri=${encodeURIComponent(uri)}&scope=openid`)
      expect(res.status).toBe(400)
      expect(res.headers.get("location")).toBeNull()
    }
  })
})
