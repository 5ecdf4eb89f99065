import * as oidc from "openid-client"
import { describe, expect, it } from "vitest"
import { Browser } from "./browser.ts"
import { alice, issuer, postToken, rpFor } from "./rp.ts"

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"

describe("Device authorization grant — RFC 8628 (openid-client)", () => {
  it("initiateDeviceAuthorization → user approves on verification_uri_complete → pollDeviceAuthorizationGrant gets tokens", async () => {
    const config = await rpFor("e2e-device")
    expect(config.serverMetadata().device_authorization_endpoint).toBe(`${issuer()}/device_authorization`)
    // offline_access: the TV gets a refresh token (issue 9 §2, OIDC Core §11).
    const device = await oidc.initiateDeviceAuthorization(config, { scope: "openid profile email offline_access" })
    expect(device.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/)
    expect(device.verification_uri).toBe(`${issuer()}/device`)
    const polling = oidc.pollDeviceAuthorizationGrant(config, device)
    // The user scans the QR code: sign-in, the code prefilled, Allow.
    const approval = await new Browser(issuer()).authorize(device.verification_uri_complete!, { ...alice, decision: "approve" })
    expect(approval.page).toContain("Device connected")
    const tokens = await polling
    const claims = tokens.claims()!
    expect(claims.iss).toBe(issuer())
    expect(claims.aud).toBe("e2e-device")
    expect(tokens.refresh_token).toBeTruthy()
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)
    expect(userinfo.email).toBe(alice.email)
  })

  it("polling faster than the interval gets slow_down; a denial ends the polling with access_denied", async () => {
    const config = await rpFor("e2e-device")
    const device = await oidc.initiateDeviceAuthorization(config, { scope: "openid" })
    const poll = async () => {
      const body: { error?: string } = await (await postToken({ grant_type: DEVICE_GRANT, device_code: device.device_code, client_id: "e2e-device" })).json()
      return body.error
    }
    expect(await poll()).toBe("authorization_pending")
    expect(await poll()).toBe("slow_down")
    const denial = await new Browser(issuer()).authorize(device.verification_uri_complete!, { ...alice, decision: "deny" })
    expect(denial.page).toContain("denied")
    const error = await oidc.pollDeviceAuthorizationGrant(config, device).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.ResponseBodyError)
    expect(error).toMatchObject({ error: "access_denied" })
  })
})
