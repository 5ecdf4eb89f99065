import { base64url } from "@authrim/platform"
import { decodeProtectedHeader, jwtVerify } from "jose"
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { clearJwksCache } from "../src/verification_keys_cache.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { signAccessToken } from "../src/issue_tokens.ts"
import { codeOf, exchangeInput, failureOf, grantInput, issuer, keysJwks, ManualClock, pkcePair, refreshInput, run, signIn } from "./token_fixtures.ts"

const seconds = (ms: number) => Math.floor(ms / 1000)
const atHashOf = async (token: string) =>
  base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))).slice(0, 16))

describe("access token — RFC 9068", () => {
  it("is a JWT with typ at+jwt, verifiable with the keys JWKS, carrying the RFC 9068 claims", async () => {
    const clock = new ManualClock()
    const authTime = clock.nowMs - 30_000
    const set = await signIn(clock, { authTime })
    const { payload, protectedHeader } = await jwtVerify(set.access_token, await keysJwks(), {
      issuer, audience: `${issuer}/userinfo`, typ: "at+jwt", currentDate: new Date(clock.nowMs)
    })
    expect(protectedHeader).toMatchObject({ typ: "at+jwt", alg: "RS256" })
    expect(protectedHeader.kid).toBeTypeOf("string")
    expect(payload).toMatchObject({
      iss: issuer, sub: "user-1", aud: `${issuer}/userinfo`, client_id: "client-a", scope: "openid profile email offline_access",
      iat: seconds(clock.nowMs), exp: seconds(clock.nowMs) + 3600, auth_time: seconds(authTime),
      acr: "urn:authrim:acr:password", amr: ["pwd"], sid: "sid-123"
    })
    expect(payload.jti).toBeTypeOf("string")
  })

  it("leaves out acr, amr and sid when they are not known", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock, { acr: null, amr: [], sid: null })
    const { payload } = await jwtVerify(set.access_token, await keysJwks(), { currentDate: new Date(clock.nowMs) })
    expect(payload).not.toHaveProperty("acr")
    expect(payload).not.toHaveProperty("amr")
    expect(payload).not.toHaveProperty("sid")
  })
})

describe("ID token — OIDC Core §2, §3.1.3.6", () => {
  it("carries iss, sub, aud, azp, exp, iat, auth_time, nonce, at_hash, sid, amr, acr and verifies with the JWKS", async () => {
    const clock = new ManualClock()
    const authTime = clock.nowMs - 60_000
    const { verifier, challenge } = await pkcePair()
    const set = await signIn(clock, { authTime, codeChallenge: challenge }, verifier)
    const { payload, protectedHeader } = await jwtVerify(set.id_token ?? "", await keysJwks(), {
      issuer, audience: "client-a", currentDate: new Date(clock.nowMs)
    })
    expect(protectedHeader.alg).toBe("RS256")
    expect(payload).toMatchObject({
      iss: issuer, sub: "user-1", aud: "client-a", azp: "client-a", iat: seconds(clock.nowMs), exp: seconds(clock.nowMs) + 3600,
      auth_time: seconds(authTime), nonce: "n-0S6_WzA2Mj", sid: "sid-123", amr: ["pwd"], acr: "urn:authrim:acr:password",
      at_hash: await atHashOf(set.access_token)
    })
  })

  it("is signed with the client's id_token_signed_response_alg (ES256)", async () => {
    const clock = new ManualClock()
    const { code } = await run(createAuthorizationCode(grantInput({ nonce: null })), clock)
    const set = await run(exchangeAuthorizationCode(exchangeInput(code, { idTokenAlg: "ES256" })), clock)
    expect(decodeProtectedHeader(set.id_token ?? "").alg).toBe("ES256")
    const { payload } = await jwtVerify(set.id_token ?? "", await keysJwks(), { algorithms: ["ES256"], currentDate: new Date(clock.nowMs) })
    expect(payload).not.toHaveProperty("nonce")
    expect(payload.at_hash).toBe(await atHashOf(set.access_token))
  })

  it("a refreshed ID token keeps the original auth_time and has no nonce (OIDC Core §12.2)", async () => {
    const clock = new ManualClock()
    const authTime = clock.nowMs - 60_000
    const set = await signIn(clock, { authTime })
    clock.advance(600_000)
    const refreshed = await run(refreshTokens(refreshInput(set.refresh_token ?? "")), clock)
    const { payload } = await jwtVerify(refreshed.id_token ?? "", await keysJwks(), { issuer, audience: "client-a", currentDate: new Date(clock.nowMs) })
    expect(payload).toMatchObject({ auth_time: seconds(authTime), iat: seconds(clock.nowMs), sub: "user-1", azp: "client-a" })
    expect(payload).not.toHaveProperty("nonce")
    expect(payload.at_hash).toBe(await atHashOf(refreshed.access_token))
  })
})

describe("verifyAccessToken — RFC 6750 §3.1 invalid_token", () => {
  it("returns the claims of a valid token", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    const claims = await run(verifyAccessToken({ issuer, token: set.access_token }), clock)
    expect(claims).toMatchObject({ sub: "user-1", clientId: "client-a", scope: "openid profile email offline_access", sid: "sid-123", exp: seconds(clock.nowMs) + 3600 })
  })

  it("rejects an expired token, another issuer's, a tampered one, an ID token and garbage", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    const [header, body, signature] = set.access_token.split(".")
    const tampered = `${header}.${body}x.${signature}`
    for (const [token, iss] of [[set.id_token ?? "", issuer], [tampered, issuer], ["garbage", issuer], [set.access_token, "https://other.example"]] as const) {
      expect(codeOf(await failureOf(verifyAccessToken({ issuer: iss, token }), clock))).toBe("invalid_token")
    }
    clock.advance(3_600_000)
    expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: set.access_token }), clock))).toBe("invalid_token")
  })

  it("refetches the JWKS once when a token's kid is not in the cached set (after a key rotation)", async () => {
    const clock = new ManualClock()
    clearJwksCache()
    const before = await signIn(clock)
    await run(verifyAccessToken({ issuer, token: before.access_token }), clock) // JWKS now cached
    const rotated = await env.KEYS_ADMIN.rotate({ force: true })
    expect(rotated._tag).toBe("Success")
    const token = await run(signAccessToken({
      issuer, clientId: "client-a", userId: "user-2", scope: "openid", authTime: clock.nowMs, acr: null, amr: [], sid: null
    }, "jti-after-rotation", clock.nowMs, clock.nowMs + 3_600_000), clock)
    expect(decodeProtectedHeader(token).kid).not.toBe(decodeProtectedHeader(before.access_token).kid)
    await expect(run(verifyAccessToken({ issuer, token }), clock)).resolves.toHaveProperty("sub", "user-2")
    // Tokens signed before the rotation keep verifying (retired keys stay published).
    await expect(run(verifyAccessToken({ issuer, token: before.access_token }), clock)).resolves.toHaveProperty("sub", "user-1")
  })
})

