/**
 * The `claims` request parameter (OIDC Core §5.5) and `acr_values` / an
 * essential `acr` (§3.1.2.1, §5.5.1.1) end to end with openid-client against a
 * real `wrangler dev`: openid-client builds the authorization URL (the claims
 * request as its JSON string), validates the ID token, and reads /userinfo
 * (checking `sub`). Alice signs in with a password only, so an essential MFA
 * acr is unmet and comes back as an authorization error openid-client raises.
 */
import * as oidc from "openid-client"
import { describe, expect, it } from "vitest"
import { redeem, rpFor, signIn } from "./rp.ts"

const MFA_ACR = "urn:authrim:acr:mfa"

describe("claims parameter and acr — openid-client", () => {
  it("discovery says claims_parameter_supported and lists only the acr values the provider asserts", async () => {
    const meta = (await rpFor("e2e-basic")).serverMetadata()
    expect(meta.claims_parameter_supported).toBe(true)
    expect(meta.acr_values_supported).toEqual([MFA_ACR, "phr", "phrh"])
  })

  it("id_token member in the ID token and userinfo member at /userinfo, beyond the scope `openid`", async () => {
    const config = await rpFor("e2e-basic")
    const claims = { id_token: { email: { essential: true }, given_name: null }, userinfo: { phone_number: null, locale: null } }
    const flow = await signIn(config, { scope: "openid", claims: JSON.stringify(claims) })
    const tokens = await redeem(config, flow)
    const idToken = tokens.claims()!
    expect(idToken.email).toBe("alice@e2e.test")
    expect(idToken.given_name).toBe("Alice")
    expect(idToken).not.toHaveProperty("phone_number")
    expect(idToken).not.toHaveProperty("name")

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)
    expect(userinfo).toMatchObject({ phone_number: "+442071838750", locale: "en-GB" })
    expect(userinfo).not.toHaveProperty("email")
    expect(userinfo).not.toHaveProperty("given_name")
  })

  it("the claims request survives a refresh: the refreshed ID token carries the same requested claims", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signIn(config, { scope: "openid offline_access", claims: JSON.stringify({ id_token: { email: null } }) })
    const tokens = await redeem(config, flow)
    expect(tokens.claims()!.email).toBe("alice@e2e.test")
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!)
    expect(refreshed.claims()!.email).toBe("alice@e2e.test")
    expect(refreshed.claims()!.sub).toBe(tokens.claims()!.sub)
  })

  it("a malformed claims parameter is invalid_request at the redirect_uri, raised by openid-client", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signIn(config, { claims: "{not json" })
    const error = await redeem(config, flow).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.AuthorizationResponseError)
    expect((error as oidc.AuthorizationResponseError).error).toBe("invalid_request")
  })

  it("acr_values the password sign-in cannot meet (voluntary): a code, and the ID token states no acr", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signIn(config, { scope: "openid", acr_values: MFA_ACR })
    const tokens = await redeem(config, flow)
    expect(tokens.claims()).not.toHaveProperty("acr")
    expect(tokens.claims()!.amr).toEqual(["pwd"])
  })

  it("an essential MFA acr a password-only user cannot reach: unmet_authentication_requirements, no code", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signIn(config, { scope: "openid", claims: JSON.stringify({ id_token: { acr: { essential: true, values: [MFA_ACR] } } }) })
    expect(flow.url.searchParams.get("code")).toBeNull()
    const error = await redeem(config, flow).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.AuthorizationResponseError)
    expect((error as oidc.AuthorizationResponseError).error).toBe("unmet_authentication_requirements")
  })
})
