import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { refreshShardName } from "../src/shard_routing.ts"
import { familyIdOf } from "../src/token_format.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, failureOf, issuer, ManualClock, refreshInput, run, signIn } from "./token_fixtures.ts"

const rotator = (clientId: string, refreshToken: string) => {
  const familyId = familyIdOf(refreshToken) ?? ""
  return { familyId, stub: env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName(refreshShardName(clientId, familyId))) }
}

describe("refresh_token grant with rotation — RFC 6749 §6, OAuth 2.0 Security BCP §4.14", () => {
  it("rotates on every use: each refresh returns a new refresh token and the family counts rotations", async () => {
    const clock = new ManualClock()
    const first = await signIn(clock)
    let token = first.refresh_token ?? ""
    for (let i = 0; i < 3; i++) {
      clock.advance(1_000)
      const next = await run(refreshTokens(refreshInput(token)), clock)
      expect(next.refresh_token).toMatch(/^rt_/)
      expect(next.refresh_token).not.toBe(token)
      expect(familyIdOf(next.refresh_token ?? "")).toBe(familyIdOf(token))
      expect(next.scope).toBe("openid profile email offline_access")
      await expect(run(verifyAccessToken({ issuer, token: next.access_token }), clock)).resolves.toHaveProperty("scope", "openid profile email offline_access")
      token = next.refresh_token ?? ""
    }
    const { familyId, stub } = rotator("client-a", token)
    expect(await stub.describe(familyId)).toEqual({ rotationCount: 3, previousCount: 3, revoked: false })
  })

  it("remembers at most the 5 previous tokens", async () => {
    const clock = new ManualClock()
    let token = (await signIn(clock)).refresh_token ?? ""
    for (let i = 0; i < 7; i++) token = (await run(refreshTokens(refreshInput(token)), clock)).refresh_token ?? ""
    const { familyId, stub } = rotator("client-a", token)
    expect(await stub.describe(familyId)).toEqual({ rotationCount: 7, previousCount: 5, revoked: false })
  })

  it("reuse of a rotated-out token (after the grace window) fails and revokes the family: the newest token dies too", async () => {
    const clock = new ManualClock()
    const old = (await signIn(clock)).refresh_token ?? ""
    const rotated = await run(refreshTokens(refreshInput(old)), clock)
    // Issue 14: within the default 10 s window the old token would replay the rotation (refresh_grace.test.ts).
    clock.advance(10_000)
    expect(codeOf(await failureOf(refreshTokens(refreshInput(old)), clock))).toBe("invalid_grant")
    expect(codeOf(await failureOf(refreshTokens(refreshInput(rotated.refresh_token ?? "")), clock))).toBe("invalid_grant")
    // …and so does the access token the family issued last.
    expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: rotated.access_token }), clock))).toBe("invalid_token")
  })

  it("an unknown secret under a real family id is refused without revoking the family", async () => {
    const clock = new ManualClock()
    const token = (await signIn(clock)).refresh_token ?? ""
    const forged = `${token.slice(0, token.indexOf(".") + 1)}${"A".repeat(43)}`
    expect(codeOf(await failureOf(refreshTokens(refreshInput(forged)), clock))).toBe("invalid_grant")
    await expect(run(refreshTokens(refreshInput(token)), clock)).resolves.toHaveProperty("refresh_token")
  })

  it("a refresh token presented by another client is invalid_grant (and stays valid for its owner)", async () => {
    const clock = new ManualClock()
    const token = (await signIn(clock)).refresh_token ?? ""
    expect(codeOf(await failureOf(refreshTokens(refreshInput(token, { clientId: "client-b" })), clock))).toBe("invalid_grant")
    await expect(run(refreshTokens(refreshInput(token)), clock)).resolves.toHaveProperty("refresh_token")
  })

  it("allows narrowing the scope per request and refuses widening with invalid_scope", async () => {
    const clock = new ManualClock()
    const token = (await signIn(clock)).refresh_token ?? ""
    const widened = await failureOf(refreshTokens(refreshInput(token, { scope: "openid profile email admin" })), clock)
    expect(codeOf(widened)).toBe("invalid_scope")
    // The refused request did not consume the token.
    const narrowed = await run(refreshTokens(refreshInput(token, { scope: "profile" })), clock)
    expect(narrowed.scope).toBe("profile")
    expect(narrowed.id_token).toBeUndefined()
    expect((await run(verifyAccessToken({ issuer, token: narrowed.access_token }), clock)).scope).toBe("profile")
    // Narrowing is per request: the family keeps what the user granted (RFC 6749 §6).
    const full = await run(refreshTokens(refreshInput(narrowed.refresh_token ?? "")), clock)
    expect(full.scope).toBe("openid profile email offline_access")
  })

  it("a family expires 30 days after it was created, however often it rotated", async () => {
    const clock = new ManualClock()
    let token = (await signIn(clock)).refresh_token ?? ""
    clock.advance(29 * 24 * 3_600_000)
    token = (await run(refreshTokens(refreshInput(token)), clock)).refresh_token ?? ""
    clock.advance(24 * 3_600_000)
    expect(codeOf(await failureOf(refreshTokens(refreshInput(token)), clock))).toBe("invalid_grant")
  })

  it("refuses malformed refresh tokens and clients without the refresh_token grant", async () => {
    const clock = new ManualClock()
    expect(codeOf(await failureOf(refreshTokens(refreshInput("not-a-token")), clock))).toBe("invalid_grant")
    const token = (await signIn(clock)).refresh_token ?? ""
    expect(codeOf(await failureOf(refreshTokens(refreshInput(token, { issueRefreshToken: false })), clock))).toBe("unauthorized_client")
  })
})
