import { describe, expect, it } from "vitest"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { introspectToken } from "../src/introspect_token.ts"
import { revokeToken } from "../src/revoke_token.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, failureOf, issuer, ManualClock, refreshInput, run, signIn } from "./token_fixtures.ts"

const introspect = (token: string, clientId = "client-a") => introspectToken({ issuer, token, tokenTypeHint: null, clientId })
const revoke = (token: string, clientId = "client-a") => revokeToken({ token, tokenTypeHint: null, clientId })
const seconds = (ms: number) => Math.floor(ms / 1000)

describe("token introspection — RFC 7662", () => {
  it("describes an active access token to the client it was issued to", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    expect(await run(introspect(set.access_token), clock)).toMatchObject({
      active: true, scope: "openid profile email offline_access", client_id: "client-a", sub: "user-1", iss: issuer,
      aud: `${issuer}/userinfo`, exp: seconds(clock.nowMs) + 3600, iat: seconds(clock.nowMs), token_type: "Bearer"
    })
  })

  it("describes an active refresh token (current one only) to its client", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    expect(await run(introspect(set.refresh_token ?? ""), clock)).toMatchObject({
      active: true, scope: "openid profile email offline_access", client_id: "client-a", sub: "user-1", token_type: "refresh_token",
      exp: seconds(clock.nowMs + 30 * 24 * 3_600_000)
    })
    const rotated = await run(refreshTokens(refreshInput(set.refresh_token ?? "")), clock)
    expect(await run(introspect(set.refresh_token ?? ""), clock)).toEqual({ active: false })
    expect(await run(introspect(rotated.refresh_token ?? ""), clock)).toMatchObject({ active: true })
  })

  it("says only active:false for another client's tokens, expired, unknown and garbage tokens", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    expect(await run(introspect(set.access_token, "client-b"), clock)).toEqual({ active: false })
    expect(await run(introspect(set.refresh_token ?? "", "client-b"), clock)).toEqual({ active: false })
    expect(await run(introspect("garbage"), clock)).toEqual({ active: false })
    expect(await run(introspect(`rt_${"A".repeat(22)}.${"B".repeat(43)}`), clock)).toEqual({ active: false })
    clock.advance(3_600_000)
    expect(await run(introspect(set.access_token), clock)).toEqual({ active: false })
  })
})

describe("token revocation — RFC 7009", () => {
  it("revoking an access token makes it fail verification and introspect inactive", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    expect(await run(revoke(set.access_token), clock)).toEqual({})
    expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: set.access_token }), clock))).toBe("invalid_token")
    expect(await run(introspect(set.access_token), clock)).toEqual({ active: false })
    // The refresh token of the same grant is untouched (§2.1 makes that optional).
    await expect(run(refreshTokens(refreshInput(set.refresh_token ?? "")), clock)).resolves.toHaveProperty("access_token")
  })

  it("revoking a refresh token revokes its family and the access tokens of the grant", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    expect(await run(revoke(set.refresh_token ?? ""), clock)).toEqual({})
    expect(codeOf(await failureOf(refreshTokens(refreshInput(set.refresh_token ?? "")), clock))).toBe("invalid_grant")
    expect(await run(introspect(set.refresh_token ?? ""), clock)).toEqual({ active: false })
    expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: set.access_token }), clock))).toBe("invalid_token")
  })

  it("another client's token, an unknown or a garbage token: success with no effect", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    expect(await run(revoke(set.access_token, "client-b"), clock)).toEqual({})
    expect(await run(revoke(set.refresh_token ?? "", "client-b"), clock)).toEqual({})
    expect(await run(revoke("garbage"), clock)).toEqual({})
    expect(await run(revoke(`rt_${"A".repeat(22)}.${"B".repeat(43)}`), clock)).toEqual({})
    await expect(run(verifyAccessToken({ issuer, token: set.access_token }), clock)).resolves.toHaveProperty("sub", "user-1")
    await expect(run(refreshTokens(refreshInput(set.refresh_token ?? "")), clock)).resolves.toHaveProperty("access_token")
  })
})
