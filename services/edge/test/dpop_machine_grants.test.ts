import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { jwtPayload, postForm, submitLoginForm } from "./support/flows.ts"
import { newDpopKey, proofFor, tokenRequest, userinfoRequest, type TokenBody } from "./support/dpop_client.ts"

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"

const errorOf = async (response: Response) => (await response.json<TokenBody>()).error

/** Starts a device authorization for a public client and has a signed-in user approve it; returns the device code. */
const approvedDeviceCode = async (clientId: string): Promise<string> => {
  // offline_access: the device gets a refresh token (issue 9 §2).
  const started = await postForm("/device_authorization", { client_id: clientId, scope: "openid profile offline_access" })
  expect(started.status).toBe(200)
  const auth = await started.json<{ device_code: string; verification_uri_complete: string }>()
  const browser = new Browser()
  const login = await browser.follow(await browser.request("/account"))
  await browser.follow(await submitLoginForm(browser, login, await seedUser()))
  const form = parseForm(await (await browser.request(auth.verification_uri_complete)).text())!
  expect((await browser.post(form.action, { ...form.fields, decision: "approve" })).status).toBe(200)
  return auth.device_code
}

describe("DPoP binding for client_credentials — RFC 9449 §5, RFC 6749 §4.4", () => {
  it("a proof binds the token: token_type DPoP and cnf.jkt; it introspects with its cnf", async () => {
    const client = await seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "profile" })
    const key = await newDpopKey()
    const response = await tokenRequest(client, { grant_type: "client_credentials" }, await proofFor(key, "POST", "/token"))
    expect(response.status).toBe(200)
    const body = await response.json<TokenBody>()
    expect(body.token_type).toBe("DPoP")
    expect(jwtPayload(body.access_token).cnf).toEqual({ jkt: key.jkt })
    const introspection = await (await postForm("/introspect", { token: body.access_token }, client)).json<Record<string, unknown>>()
    expect(introspection).toMatchObject({ active: true, cnf: { jkt: key.jkt } })
  })

  it("without a proof the token stays Bearer and unbound", async () => {
    const client = await seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "profile" })
    const body = await (await tokenRequest(client, { grant_type: "client_credentials" })).json<TokenBody>()
    expect(body.token_type).toBe("Bearer")
    expect(jwtPayload(body.access_token)).not.toHaveProperty("cnf")
  })
})

describe("DPoP binding for the device_code grant — RFC 9449 §5, RFC 8628 §3.4", () => {
  it("a proof on the poll binds the access token and the public client's refresh token", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "none", grantTypes: [DEVICE_GRANT, "refresh_token"] })
    const deviceCode = await approvedDeviceCode(client.clientId)
    const key = await newDpopKey()
    const granted = await tokenRequest(client, { grant_type: DEVICE_GRANT, device_code: deviceCode }, await proofFor(key, "POST", "/token"))
    expect(granted.status).toBe(200)
    const tokens = await granted.json<TokenBody>()
    expect(tokens.token_type).toBe("DPoP")
    expect(jwtPayload(tokens.access_token).cnf).toEqual({ jkt: key.jkt })

    // The bound access token needs a proof at userinfo; with one it works.
    expect((await userinfoRequest("Bearer", tokens.access_token)).status).toBe(401)
    const withProof = await userinfoRequest("DPoP", tokens.access_token, await proofFor(key, "GET", "/userinfo", { accessToken: tokens.access_token }))
    expect(withProof.status).toBe(200)

    // The refresh token is bound to the key too (public client).
    const refresh = { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }
    const withoutProof = await tokenRequest(client, refresh)
    expect([withoutProof.status, await errorOf(withoutProof)]).toEqual([400, "invalid_grant"])
    const sameKey = await tokenRequest(client, refresh, await proofFor(key, "POST", "/token"))
    expect(sameKey.status).toBe(200)
    expect((await sameKey.json<TokenBody>()).token_type).toBe("DPoP")
  })
})
