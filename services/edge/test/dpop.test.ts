import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient, type SeededClient } from "./support/fixtures.ts"
import { jwtPayload } from "./support/flows.ts"
import { codeGrantFields, newDpopKey, proofFor, tokenRequest, userinfoRequest, type DpopKey, type TokenBody } from "./support/dpop_client.ts"

const publicClient = () => seedClient({ tokenEndpointAuthMethod: "none", skipConsent: true })

/** Code flow with a DPoP proof at /token; returns the token response. */
const dpopTokens = async (client: SeededClient, key: DpopKey): Promise<TokenBody> => {
  const response = await tokenRequest(client, await codeGrantFields(client), await proofFor(key, "POST", "/token"))
  expect(response.status).toBe(200)
  return response.json<TokenBody>()
}

const errorOf = async (response: Response) => (await response.json<TokenBody>()).error

describe("DPoP at the token endpoint — RFC 9449 §5", () => {
  it("a proof binds the access token (token_type DPoP, cnf.jkt) and the public client's refresh token", async () => {
    const client = await publicClient()
    const key = await newDpopKey()
    const tokens = await dpopTokens(client, key)
    expect(tokens.token_type).toBe("DPoP")
    expect(jwtPayload(tokens.access_token).cnf).toEqual({ jkt: key.jkt })
    const refresh = { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }

    const withoutProof = await tokenRequest(client, refresh)
    expect([withoutProof.status, await errorOf(withoutProof)]).toEqual([400, "invalid_grant"])
    const otherKey = await tokenRequest(client, refresh, await proofFor(await newDpopKey(), "POST", "/token"))
    expect([otherKey.status, await errorOf(otherKey)]).toEqual([400, "invalid_grant"])
    const sameKey = await tokenRequest(client, refresh, await proofFor(key, "POST", "/token"))
    expect(sameKey.status).toBe(200)
    const refreshed = await sameKey.json<TokenBody>()
    expect(refreshed.token_type).toBe("DPoP")
    expect(jwtPayload(refreshed.access_token).cnf).toEqual({ jkt: key.jkt })
  })

  it("a confidential client's refresh token is not key-bound: it refreshes without a proof (Bearer)", async () => {
    const client = await seedClient({ skipConsent: true })
    const tokens = await dpopTokens(client, await newDpopKey())
    const response = await tokenRequest(client, { grant_type: "refresh_token", refresh_token: tokens.refresh_token! })
    expect(response.status).toBe(200)
    expect((await response.json<TokenBody>()).token_type).toBe("Bearer")
  })

  it("a replayed proof (same jti) is invalid_dpop_proof", async () => {
    const client = await publicClient()
    const proof = await proofFor(await newDpopKey(), "POST", "/token")
    expect((await tokenRequest(client, await codeGrantFields(client), proof)).status).toBe(200)
    const replay = await tokenRequest(client, await codeGrantFields(client), proof)
    expect([replay.status, await errorOf(replay)]).toEqual([400, "invalid_dpop_proof"])
  })

  it("a proof for another method, another URL, or with a stale iat is invalid_dpop_proof", async () => {
    const client = await publicClient()
    const key = await newDpopKey()
    const now = Math.floor(Date.now() / 1000)
    for (const proof of [
      await proofFor(key, "GET", "/token"),
      await proofFor(key, "POST", "/userinfo"),
      await proofFor(key, "POST", "/token", { htu: "https://elsewhere.test/token" }),
      await proofFor(key, "POST", "/token", { iat: now - 300 }),
      "not-a-jwt"
    ]) {
      const response = await tokenRequest(client, await codeGrantFields(client), proof)
      expect([response.status, await errorOf(response)]).toEqual([400, "invalid_dpop_proof"])
    }
  })

  it("RACE: 20 concurrent token requests with one proof — exactly one gets past the jti check", async () => {
    const client = await publicClient()
    const proof = await proofFor(await newDpopKey(), "POST", "/token")
    // A well-formed but unknown refresh token: the one accepted proof reaches the grant (invalid_grant).
    const fields = { grant_type: "refresh_token", refresh_token: `rt_${"A".repeat(22)}.${"B".repeat(43)}` }
    const errors = await Promise.all(Array.from({ length: 20 }, async () => errorOf(await tokenRequest(client, fields, proof))))
    expect(errors.filter((e) => e === "invalid_grant")).toHaveLength(1)
    expect(errors.filter((e) => e === "invalid_dpop_proof")).toHaveLength(19)
  })
})

describe("DPoP at the UserInfo endpoint — RFC 9449 §7", () => {
  it("a bound token with the DPoP scheme and a proof carrying ath is served", async () => {
    const key = await newDpopKey()
    const tokens = await dpopTokens(await publicClient(), key)
    const response = await userinfoRequest("DPoP", tokens.access_token, await proofFor(key, "GET", "/userinfo", { accessToken: tokens.access_token }))
    expect(response.status).toBe(200)
    expect(await response.json()).toHaveProperty("sub")
  })

  it("a bound token used as a Bearer token, or without a proof, is 401 with a DPoP invalid_token challenge", async () => {
    const key = await newDpopKey()
    const tokens = await dpopTokens(await publicClient(), key)
    for (const response of [await userinfoRequest("Bearer", tokens.access_token), await userinfoRequest("DPoP", tokens.access_token)]) {
      expect(response.status).toBe(401)
      expect(response.headers.get("www-authenticate")).toMatch(/^DPoP realm="authrim", error="invalid_token"/)
    }
  })

  it("a proof by another key, without ath, or replayed is 401 invalid_dpop_proof", async () => {
    const key = await newDpopKey()
    const tokens = await dpopTokens(await publicClient(), key)
    const good = await proofFor(key, "GET", "/userinfo", { accessToken: tokens.access_token })
    expect((await userinfoRequest("DPoP", tokens.access_token, good)).status).toBe(200)
    for (const proof of [
      await proofFor(await newDpopKey(), "GET", "/userinfo", { accessToken: tokens.access_token }),
      await proofFor(key, "GET", "/userinfo"),
      good
    ]) {
      const response = await userinfoRequest("DPoP", tokens.access_token, proof)
      expect(response.status).toBe(401)
      expect(response.headers.get("www-authenticate")).toContain('error="invalid_dpop_proof"')
    }
  })

  it("an unbound (Bearer) token presented under the DPoP scheme is refused", async () => {
    const client = await publicClient()
    const response = await tokenRequest(client, await codeGrantFields(client))
    const tokens = await response.json<TokenBody>()
    expect(tokens.token_type).toBe("Bearer")
    const key = await newDpopKey()
    const userinfo = await userinfoRequest("DPoP", tokens.access_token, await proofFor(key, "GET", "/userinfo", { accessToken: tokens.access_token }))
    expect(userinfo.status).toBe(401)
  })
})

describe("DPoP-bound tokens at introspection and discovery — RFC 9449 §6.2, §5.1", () => {
  it("introspection returns cnf.jkt of a bound token", async () => {
    const client = await seedClient({ skipConsent: true })
    const key = await newDpopKey()
    const tokens = await dpopTokens(client, key)
    const response = await new Browser().request("/introspect", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.secret!).replace(/%20/g, "+")}`)}` },
      body: new URLSearchParams({ token: tokens.access_token }).toString()
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: key.jkt } })
  })

  it("discovery advertises dpop_signing_alg_values_supported (asymmetric algs only)", async () => {
    const meta = await (await new Browser().request("/.well-known/openid-configuration")).json<Record<string, unknown>>()
    expect(meta.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(["ES256", "RS256", "PS256", "EdDSA"]))
    expect(meta.dpop_signing_alg_values_supported).not.toContain("HS256")
  })
})
