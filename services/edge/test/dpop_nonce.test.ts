import { describe, expect, it } from "vitest"
import { seedClient } from "./support/fixtures.ts"
import { codeGrantFields, newDpopKey, proofFor, tokenRequest, userinfoRequest, type TokenBody } from "./support/dpop_client.ts"

// vitest.config.ts sets DPOP_NONCE_REQUIRED_FOR=dpop-nonce-rp.
const nonceClient = () => seedClient({ clientId: "dpop-nonce-rp", tokenEndpointAuthMethod: "none", skipConsent: true })

describe("DPoP server nonces — RFC 9449 §8, §9", () => {
  it("at /token a proof without the nonce is 400 use_dpop_nonce with DPoP-Nonce; the retry with it succeeds", async () => {
    const client = await nonceClient()
    const key = await newDpopKey()
    const fields = await codeGrantFields(client)
    const first = await tokenRequest(client, fields, await proofFor(key, "POST", "/token"))
    expect(first.status).toBe(400)
    expect((await first.json<TokenBody>()).error).toBe("use_dpop_nonce")
    const nonce = first.headers.get("dpop-nonce")
    expect(nonce).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/)
    const retry = await tokenRequest(client, fields, await proofFor(key, "POST", "/token", { nonce: nonce! }))
    expect(retry.status).toBe(200)
    // The current nonce again (or the next bucket's, had the 5-minute bucket just turned).
    expect(retry.headers.get("dpop-nonce")).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/)
    expect((await retry.json<TokenBody>()).token_type).toBe("DPoP")
  })

  it("at /userinfo a proof without the nonce is 401 use_dpop_nonce with DPoP-Nonce; the retry with it is served", async () => {
    const client = await nonceClient()
    const key = await newDpopKey()
    const fields = await codeGrantFields(client)
    const nonce = (await tokenRequest(client, fields, await proofFor(key, "POST", "/token"))).headers.get("dpop-nonce")!
    const tokens = await (await tokenRequest(client, fields, await proofFor(key, "POST", "/token", { nonce }))).json<TokenBody>()
    const first = await userinfoRequest("DPoP", tokens.access_token, await proofFor(key, "GET", "/userinfo", { accessToken: tokens.access_token }))
    expect(first.status).toBe(401)
    expect(first.headers.get("www-authenticate")).toContain('error="use_dpop_nonce"')
    expect(first.headers.get("dpop-nonce")).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/)
    const retry = await userinfoRequest("DPoP", tokens.access_token, await proofFor(key, "GET", "/userinfo", { accessToken: tokens.access_token, nonce }))
    expect(retry.status).toBe(200)
  })

  it("a forged nonce is refused even for clients that need none", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "none", skipConsent: true })
    const response = await tokenRequest(client, await codeGrantFields(client), await proofFor(await newDpopKey(), "POST", "/token", { nonce: "abc.AAAAAAAAAAAAAAAAAAAAAA" }))
    expect(response.status).toBe(400)
    expect((await response.json<TokenBody>()).error).toBe("use_dpop_nonce")
  })
})
