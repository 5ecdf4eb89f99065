/**
 * DPoP (RFC 9449) end to end: openid-client's DPoP support (getDPoPHandle)
 * against a real `wrangler dev`; raw proofs (jose) for what a library will
 * not send — a replayed jti, a wrong htm/htu/iat, a jti raced 20 times.
 */
import * as oidc from "openid-client"
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT } from "jose"
import { describe, expect, it } from "vitest"
import { issuer, rpFor, signIn } from "./rp.ts"

const bodyError = (e: unknown) => (e as oidc.ResponseBodyError).error

/** A raw proof for `POST /token` with overridable claims. */
const rawProof = async (overrides: { htm?: string; htu?: string; iat?: number; nonce?: string } = {}) => {
  const { privateKey, publicKey } = await generateKeyPair("ES256")
  return new SignJWT({ htm: overrides.htm ?? "POST", htu: overrides.htu ?? `${issuer()}/token`, jti: crypto.randomUUID(), ...(overrides.nonce ? { nonce: overrides.nonce } : {}) })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: await exportJWK(publicKey) })
    .setIssuedAt(overrides.iat ?? Math.floor(Date.now() / 1000))
    .sign(privateKey)
}

/** A raw public-client token request with a DPoP header. */
const postWithProof = (clientId: string, body: Record<string, string>, proof: string) =>
  fetch(`${issuer()}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", dpop: proof },
    body: new URLSearchParams({ ...body, client_id: clientId })
  })

const unknownRefreshToken = `rt_${"A".repeat(22)}.${"B".repeat(43)}`

describe("DPoP-bound code flow and refresh with openid-client — RFC 9449 §5, §7", () => {
  it("binds the tokens to the client's key; userinfo and refresh work with the key and only with it", async () => {
    const config = await rpFor("e2e-dpop")
    const keyPair = await oidc.randomDPoPKeyPair()
    const DPoP = oidc.getDPoPHandle(config, keyPair)
    const flow = await signIn(config)
    const tokens = await oidc.authorizationCodeGrant(config, flow.url,
      { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true }, undefined, { DPoP })
    expect(tokens.token_type.toLowerCase()).toBe("dpop")
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: await calculateJwkThumbprint(await exportJWK(keyPair.publicKey)) })

    const claims = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub, { DPoP })
    expect(claims.sub).toBe(tokens.claims()!.sub)
    // The same token without a proof (sent as Bearer) is refused with a DPoP challenge.
    const stolen = await oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck).catch((e: unknown) => e)
    expect(stolen).toBeInstanceOf(oidc.WWWAuthenticateChallengeError)
    expect((stolen as oidc.WWWAuthenticateChallengeError).cause[0]).toMatchObject({ scheme: "dpop", parameters: { error: "invalid_token" } })

    const otherKey = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair())
    expect(bodyError(await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP: otherKey }).catch((e: unknown) => e))).toBe("invalid_grant")
    expect(bodyError(await oidc.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e))).toBe("invalid_grant")
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP })
    expect(refreshed.token_type.toLowerCase()).toBe("dpop")
  })

  it("with server nonces required, openid-client retries with the DPoP-Nonce it is given and succeeds", async () => {
    const config = await rpFor("e2e-dpop-nonce")
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair())
    const tokens = await redeemWithDpop(config, DPoP)
    expect(tokens.token_type.toLowerCase()).toBe("dpop")
    const claims = await oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck, { DPoP })
    expect(claims.sub).toBeTruthy()
    const missing = await postWithProof("e2e-dpop-nonce", { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }, await rawProof())
    expect(missing.status).toBe(400)
    expect(((await missing.json()) as { error: string }).error).toBe("use_dpop_nonce")
    expect(missing.headers.get("dpop-nonce")).toBeTruthy()
  })
})

const redeemWithDpop = async (config: oidc.Configuration, DPoP: oidc.DPoPHandle) => {
  const flow = await signIn(config)
  return oidc.authorizationCodeGrant(config, flow.url,
    { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true }, undefined, { DPoP })
}

describe("DPoP proof checks at /token — RFC 9449 §4.3, §11.1", () => {
  it("a replayed proof (same jti) is refused", async () => {
    const proof = await rawProof()
    const first = await postWithProof("e2e-dpop", { grant_type: "refresh_token", refresh_token: unknownRefreshToken }, proof)
    expect(((await first.json()) as { error: string }).error).toBe("invalid_grant")
    const replay = await postWithProof("e2e-dpop", { grant_type: "refresh_token", refresh_token: unknownRefreshToken }, proof)
    expect(replay.status).toBe(400)
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_dpop_proof")
  })

  it("a proof with the wrong htm, htu or iat is refused", async () => {
    for (const proof of [
      await rawProof({ htm: "GET" }),
      await rawProof({ htu: `${issuer()}/userinfo` }),
      await rawProof({ iat: Math.floor(Date.now() / 1000) - 600 })
    ]) {
      const response = await postWithProof("e2e-dpop", { grant_type: "refresh_token", refresh_token: unknownRefreshToken }, proof)
      expect(((await response.json()) as { error: string }).error).toBe("invalid_dpop_proof")
    }
  })

  it("RACE: 20 concurrent requests with one proof — exactly one passes the jti check", async () => {
    const proof = await rawProof()
    const responses = await Promise.all(Array.from({ length: 20 }, () =>
      postWithProof("e2e-dpop", { grant_type: "refresh_token", refresh_token: unknownRefreshToken }, proof)))
    const errors = await Promise.all(responses.map(async (r) => ((await r.json()) as { error: string }).error))
    expect(errors.filter((e) => e === "invalid_grant")).toHaveLength(1)
    expect(errors.filter((e) => e === "invalid_dpop_proof")).toHaveLength(19)
  })
})
