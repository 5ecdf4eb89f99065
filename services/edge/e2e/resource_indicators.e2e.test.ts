/**
 * RFC 8707 resource indicators end to end with openid-client against a real
 * `wrangler dev`: e2e-resources (fixtures.json) registers two resources;
 * openid-client passes `resource` (repeated, as URLSearchParams) through
 * buildAuthorizationUrl / buildAuthorizationUrlWithPAR, authorizationCodeGrant,
 * refreshTokenGrant and clientCredentialsGrant. Each access token is checked as
 * the resource server would, with the discovered JWKS and its own audience.
 */
import * as oidc from "openid-client"
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import fixtures from "./fixtures.json" with { type: "json" }
import { Browser } from "./browser.ts"
import { alice, issuer, redirectUri } from "./rp.ts"

const NOTES = "https://notes.e2e.test/api"
const CALENDAR = "https://calendar.e2e.test/api"

const secret = fixtures.clients.find((c) => c.client_id === "e2e-resources")?.client_secret ?? ""

const rp = () =>
  oidc.discovery(new URL(issuer()), "e2e-resources", undefined, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] })

/** `resource` once per value. */
const resources = (values: ReadonlyArray<string>) => new URLSearchParams(values.map((v) => ["resource", v]))

/** The authorization request's parameters with PKCE, state and nonce, plus `resource` values. */
const authorizationParameters = async (values: ReadonlyArray<string>) => {
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const parameters = new URLSearchParams({
    redirect_uri: redirectUri, scope: "openid profile offline_access", state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: "S256"
  })
  for (const value of values) parameters.append("resource", value)
  return { parameters, checks: { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true } }
}

/** Alice signs in for `values`; the callback URL and openid-client's checks. */
const signIn = async (config: oidc.Configuration, values: ReadonlyArray<string>, par = false) => {
  const { parameters, checks } = await authorizationParameters(values)
  const url = par ? await oidc.buildAuthorizationUrlWithPAR(config, parameters) : oidc.buildAuthorizationUrl(config, parameters)
  const { url: callback } = await new Browser(issuer()).authorize(url.toString(), { ...alice, decision: "approve" })
  return { callback, checks }
}

/** The access token verified as the resource server `audience` would, with the discovered JWKS. */
const verifiedFor = async (config: oidc.Configuration, token: string, audience: string) => {
  const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!))
  return (await jwtVerify(token, jwks, { issuer: config.serverMetadata().issuer, audience, typ: "at+jwt" })).payload
}

describe("Resource indicators — openid-client (RFC 8707)", () => {
  it("authorization code with two resources: aud is both; /token narrows to one; the token verifies for that audience", async () => {
    const config = await rp()
    const both = await signIn(config, [NOTES, CALENDAR])
    const all = await oidc.authorizationCodeGrant(config, both.callback, both.checks)
    expect(decodeJwt(all.access_token).aud).toEqual([NOTES, CALENDAR])
    const one = await signIn(config, [NOTES, CALENDAR])
    const narrowed = await oidc.authorizationCodeGrant(config, one.callback, one.checks, resources([CALENDAR]))
    expect((await verifiedFor(config, narrowed.access_token, CALENDAR)).aud).toBe(CALENDAR)
    await expect(verifiedFor(config, narrowed.access_token, NOTES)).rejects.toThrow()
    // An ID token is still for the client (its aud is the client_id, checked by openid-client).
    expect(narrowed.claims()!.aud).toBe("e2e-resources")
  })

  it("widening at /token is invalid_target, and the code still redeems afterwards", async () => {
    const config = await rp()
    const flow = await signIn(config, [NOTES])
    const error = await oidc.authorizationCodeGrant(config, flow.callback, flow.checks, resources([CALENDAR])).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.ResponseBodyError)
    expect((error as oidc.ResponseBodyError).error).toBe("invalid_target")
    const tokens = await oidc.authorizationCodeGrant(config, flow.callback, flow.checks)
    expect(decodeJwt(tokens.access_token).aud).toBe(NOTES)
  })

  it("refresh keeps the granted resources and narrows on request; an unregistered resource at /authorize comes back as invalid_target", async () => {
    const config = await rp()
    const flow = await signIn(config, [NOTES, CALENDAR])
    const tokens = await oidc.authorizationCodeGrant(config, flow.callback, flow.checks, resources([NOTES]))
    const kept = await oidc.refreshTokenGrant(config, tokens.refresh_token!)
    expect(decodeJwt(kept.access_token).aud).toEqual([NOTES, CALENDAR])
    const narrowed = await oidc.refreshTokenGrant(config, kept.refresh_token!, resources([CALENDAR]))
    expect((await verifiedFor(config, narrowed.access_token, CALENDAR)).aud).toBe(CALENDAR)

    const refused = await signIn(config, ["https://unregistered.e2e.test/api"])
    const error = await oidc.authorizationCodeGrant(config, refused.callback, refused.checks).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.AuthorizationResponseError)
    expect((error as oidc.AuthorizationResponseError).error).toBe("invalid_target")
  })

  it("PAR carries both resources; client_credentials with a resource gets that audience; /userinfo refuses a resource-only token", async () => {
    const config = await rp()
    const pushed = await signIn(config, [CALENDAR, NOTES], true)
    const tokens = await oidc.authorizationCodeGrant(config, pushed.callback, pushed.checks)
    expect(decodeJwt(tokens.access_token).aud).toEqual([CALENDAR, NOTES])
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub).catch((e: unknown) => e)
    expect(userinfo).toBeInstanceOf(oidc.WWWAuthenticateChallengeError)

    const own = await oidc.clientCredentialsGrant(config, new URLSearchParams([["scope", "profile"], ["resource", NOTES]]))
    const claims = await verifiedFor(config, own.access_token, NOTES)
    expect(claims.sub).toBe("e2e-resources")
  })
})
