/**
 * Dynamic client registration end to end (RFC 7591 with openid-client's
 * `dynamicClientRegistration`): a client registered through `/register` with
 * the seeded initial access token completes an authorization-code flow at
 * once — a public one with PKCE, and a confidential one authenticating at
 * /token with the secret it was just issued.
 */
import * as oidc from "openid-client"
import { describe, expect, inject, it } from "vitest"
import { alice, issuer, redeem, redirectUri, signIn } from "./rp.ts"

const register = (metadata: Partial<oidc.ClientMetadata>) =>
  oidc.dynamicClientRegistration(new URL(issuer()), { redirect_uris: [redirectUri], ...metadata }, undefined, {
    initialAccessToken: inject("initialAccessToken"),
    execute: [oidc.allowInsecureRequests]
  })

describe("Dynamic client registration — RFC 7591 with openid-client", () => {
  it("discovery advertises the registration endpoint", async () => {
    const meta = await (await fetch(`${issuer()}/.well-known/openid-configuration`)).json() as { registration_endpoint: string }
    expect(meta.registration_endpoint).toBe(`${issuer()}/register`)
  })

  it("a public client registered with the initial access token signs in at once (code + PKCE)", async () => {
    const config = await register({ token_endpoint_auth_method: "none", client_name: "e2e registered SPA", application_type: "native" })
    const clientId = config.clientMetadata().client_id
    expect(clientId).toMatch(/^dcr_/)
    const tokens = await redeem(config, await signIn(config))
    expect(tokens.claims()!.aud).toBe(clientId)
    expect((await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).email).toBe(alice.email)
  })

  it("a confidential client registered with the initial access token redeems its code with its issued secret", async () => {
    const config = await register({ token_endpoint_auth_method: "client_secret_post", grant_types: ["authorization_code", "refresh_token"], scope: "openid profile email offline_access" })
    const metadata = config.clientMetadata()
    expect(metadata.client_secret).toEqual(expect.any(String))
    expect(metadata.registration_access_token).toEqual(expect.any(String))
    const tokens = await redeem(config, await signIn(config))
    expect(tokens.claims()!.aud).toBe(metadata.client_id)
    expect(tokens.refresh_token).toEqual(expect.any(String))
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!)
    expect(refreshed.access_token).not.toBe(tokens.access_token)
  })

  it("registration without the initial access token is refused (open registration is off)", async () => {
    const error = await oidc.dynamicClientRegistration(new URL(issuer()), { redirect_uris: [redirectUri] }, undefined, { execute: [oidc.allowInsecureRequests] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.WWWAuthenticateChallengeError)
    expect((error as oidc.WWWAuthenticateChallengeError).status).toBe(401)
  })
})
