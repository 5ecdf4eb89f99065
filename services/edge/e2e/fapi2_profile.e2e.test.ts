/**
 * The per-client FAPI 2.0 Security Profile switch end to end with openid-client
 * against a real `wrangler dev`: the seeded `e2e-fapi2` client authenticates
 * with private_key_jwt (keys by jwks_uri), pushes its authorization request
 * (`buildAuthorizationUrlWithPAR`) with PKCE S256, checks RFC 9207 `iss` in
 * the response (openid-client does when the server says it sends it), and
 * redeems the code with a DPoP proof (`getDPoPHandle`): the tokens are
 * DPoP-bound, /userinfo wants the proof, and a refresh keeps the binding.
 */
import { importJWK, type JWK } from "jose"
import * as oidc from "openid-client"
import { describe, expect, inject, it } from "vitest"
import { Browser } from "./browser.ts"
import { FAPI_CLIENT_ID } from "./client_keys_server.ts"
import { alice, issuer, redirectUri } from "./rp.ts"

const fapiClient = async () =>
  oidc.discovery(new URL(issuer()), FAPI_CLIENT_ID, undefined, oidc.PrivateKeyJwt(await importJWK(inject("pkjwtPrivateJwk") as JWK, "ES256") as CryptoKey), {
    execute: [oidc.allowInsecureRequests]
  })

/** Pushes (or, `pushed: false`, only builds) an authorization request with PKCE S256; signs alice in. */
const authorize = async (config: oidc.Configuration, pushed = true) => {
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const parameters = {
    redirect_uri: redirectUri, scope: "openid offline_access", state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: "S256"
  }
  const url = pushed ? await oidc.buildAuthorizationUrlWithPAR(config, parameters) : oidc.buildAuthorizationUrl(config, parameters)
  const flow = await new Browser(issuer()).authorize(url.toString(), { ...alice, decision: "approve" })
  return { url: flow.url, codeVerifier, state, nonce }
}

const redeem = (config: oidc.Configuration, flow: Awaited<ReturnType<typeof authorize>>, DPoP?: oidc.DPoPHandle) =>
  oidc.authorizationCodeGrant(config, flow.url, {
    pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true
  }, undefined, DPoP === undefined ? undefined : { DPoP })

describe("FAPI 2.0 Security Profile client — openid-client", () => {
  it("PAR + PKCE + private_key_jwt + DPoP: DPoP-bound tokens, iss in the response, /userinfo and refresh with the proof", async () => {
    const config = await fapiClient()
    expect(config.serverMetadata().authorization_response_iss_parameter_supported).toBe(true)
    const flow = await authorize(config)
    expect(flow.url.searchParams.get("iss")).toBe(issuer())
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair())
    const tokens = await redeem(config, flow, DPoP)
    expect(tokens.token_type).toBe("dpop")
    expect(tokens.claims()!.aud).toBe(FAPI_CLIENT_ID)

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub, { DPoP })
    expect(userinfo.sub).toBe(tokens.claims()!.sub)
    // The DPoP-bound access token without its proof is refused.
    const bare = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub).catch((e: unknown) => e)
    expect(bare).toBeInstanceOf(oidc.WWWAuthenticateChallengeError)

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP })
    expect(refreshed.token_type).toBe("dpop")
    expect(refreshed.access_token).not.toBe(tokens.access_token)
    // FAPI 2.0 SP §5.3.2.1: no rotation — the same refresh token comes back and keeps working.
    expect(refreshed.refresh_token).toBe(tokens.refresh_token)
    const again = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP })
    expect(again.refresh_token).toBe(tokens.refresh_token)
  })

  it("a code redeemed without a DPoP proof is invalid_dpop_proof; the same code then works with one", async () => {
    const config = await fapiClient()
    const flow = await authorize(config)
    const refused = await redeem(config, flow).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(oidc.ResponseBodyError)
    expect((refused as oidc.ResponseBodyError).error).toBe("invalid_dpop_proof")
    const tokens = await redeem(config, flow, oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair()))
    expect(tokens.token_type).toBe("dpop")
  })

  it("an authorization request not pushed is refused: invalid_request at the redirect_uri, raised by openid-client", async () => {
    const config = await fapiClient()
    const flow = await authorize(config, false)
    expect(flow.url.searchParams.get("code")).toBeNull()
    const error = await oidc.authorizationCodeGrant(config, flow.url, { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.AuthorizationResponseError)
    expect((error as oidc.AuthorizationResponseError).error).toBe("invalid_request")
  })
})
