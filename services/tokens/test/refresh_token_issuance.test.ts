/**
 * Which grants get a refresh token (issue 9 §2, OIDC Core §11): offline_access
 * granted → an offline family (30 days, survives its session); an
 * online-refresh client without offline_access → a family bound to the
 * session, ending when the session expires; otherwise none.
 */
import { env } from "cloudflare:workers"
import { decodeJwt } from "jose"
import { describe, expect, it } from "vitest"
import { decideDeviceCode, pollDeviceCode, startDeviceAuthorization } from "../src/device/device_grant.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshShardName } from "../src/shard_routing.ts"
import { refreshFamilyTtlMs } from "../src/token_lifetimes.ts"
import { familyIdOf } from "../src/token_format.ts"
import { decision, pollInput, runDevice } from "./device_fixtures.ts"
import { codeOf, exchangeInput, failureOf, grantInput, ManualClock, refreshInput, run } from "./token_fixtures.ts"

const hour = 3_600_000

const redeem = async (clock: ManualClock, grant: Parameters<typeof grantInput>[0], options: { onlineRefreshTokens?: boolean } = {}) => {
  const { code } = await run(createAuthorizationCode(grantInput(grant)), clock)
  return run(exchangeAuthorizationCode(exchangeInput(code, options)), clock)
}

const lifetimeOf = (refreshToken: string, clientId = "client-a") => {
  const familyId = familyIdOf(refreshToken) ?? ""
  return env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName(refreshShardName(clientId, familyId))).lifetime(familyId)
}

describe("refresh token issuance — OIDC Core §11 offline_access", () => {
  it("a refresh_token client without offline_access gets no refresh token", async () => {
    const set = await redeem(new ManualClock(), { scope: "openid profile email" })
    expect(set.access_token).toBeTypeOf("string")
    expect(set.refresh_token).toBeUndefined()
  })

  it("offline_access granted: an offline family of 30 days that keeps sid until the session expires", async () => {
    const clock = new ManualClock()
    const sessionExpiresAt = clock.nowMs + 2 * hour
    const set = await redeem(clock, { userId: `u-${crypto.randomUUID()}`, scope: "openid offline_access", sessionExpiresAt })
    expect(set.refresh_token).toMatch(/^rt_/)
    expect(await lifetimeOf(set.refresh_token!)).toMatchObject({ sid: "sid-123", expiresAt: clock.nowMs + refreshFamilyTtlMs })
    const before = await run(refreshTokens(refreshInput(set.refresh_token!)), clock)
    expect(decodeJwt(before.id_token!).sid).toBe("sid-123")
    // The session has expired (ended): the family lives on, its refreshed ID tokens no longer name the session.
    clock.advance(3 * hour)
    const after = await run(refreshTokens(refreshInput(before.refresh_token!)), clock)
    expect(decodeJwt(after.id_token!)).not.toHaveProperty("sid")
    expect(decodeJwt(after.access_token)).not.toHaveProperty("sid")
  })

  it("an online-refresh client without offline_access: a family bound to the session that ends at its expiry", async () => {
    const clock = new ManualClock()
    const sessionExpiresAt = clock.nowMs + 2 * hour
    const set = await redeem(clock, { userId: `u-${crypto.randomUUID()}`, scope: "openid", sessionExpiresAt }, { onlineRefreshTokens: true })
    expect(set.refresh_token).toMatch(/^rt_/)
    expect(await lifetimeOf(set.refresh_token!)).toMatchObject({ sid: "sid-123", expiresAt: sessionExpiresAt })
    clock.advance(hour)
    const refreshed = await run(refreshTokens(refreshInput(set.refresh_token!)), clock)
    expect(decodeJwt(refreshed.id_token!).sid).toBe("sid-123")
    clock.advance(hour)
    expect(codeOf(await failureOf(refreshTokens(refreshInput(refreshed.refresh_token!)), clock))).toBe("invalid_grant")
  })

  it("an online-refresh client gets none when the session's expiry is unknown (older edge) or already past", async () => {
    const clock = new ManualClock()
    expect((await redeem(clock, { scope: "openid" }, { onlineRefreshTokens: true })).refresh_token).toBeUndefined()
    const past = await redeem(clock, { scope: "openid", sessionExpiresAt: clock.nowMs - 1 }, { onlineRefreshTokens: true })
    expect(past.refresh_token).toBeUndefined()
  })

  it("the device grant follows the same rule", async () => {
    const clock = new ManualClock()
    const tokensFor = async (scope: string) => {
      const auth = await runDevice(startDeviceAuthorization({ clientId: "tv-client", scope }), clock)
      await runDevice(decideDeviceCode(decision(auth.userCode, "approve", `u-${crypto.randomUUID()}`)), clock)
      clock.advance(5_000)
      return runDevice(pollDeviceCode(pollInput(auth.deviceCode)), clock)
    }
    expect((await tokensFor("openid profile")).refresh_token).toBeUndefined()
    expect((await tokensFor("openid profile offline_access")).refresh_token).toMatch(/^rt_/)
  })
})
