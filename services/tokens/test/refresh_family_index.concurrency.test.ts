/**
 * "Revoke all" racing new families (issue 9 §2): of concurrent code
 * redemptions of one user and one revoke-all, whatever order the index shard
 * sees them in, no family survives the revocation — each redemption either
 * answers invalid_grant or hands out a refresh token that is already dead.
 */
import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { decodeJwt } from "jose"
import { revokeAllForUser, revokeFamiliesForSession } from "../src/family_index/revoke_user_families.ts"
import { familyIndexShardName } from "../src/shard_routing.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, exchangeInput, failureOf, grantInput, issuer, ManualClock, refreshInput, run } from "./token_fixtures.ts"

describe("RefreshFamilyIndex under concurrency — revoke all vs. new families", () => {
  it("20 redemptions racing a revoke-all: afterwards no refresh token and no access token of them works", async () => {
    const clock = new ManualClock()
    const userId = `u-${crypto.randomUUID()}`
    const codes = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      run(createAuthorizationCode(grantInput({ userId, sid: `s${i}`, scope: "openid offline_access" })), clock)))
    const redemptions = codes.map(({ code }) => run(Effect.result(exchangeAuthorizationCode(exchangeInput(code))), clock))
    const revocation = run(revokeAllForUser({ userId, reason: "password_reset" }), clock)
    const [outcomes] = await Promise.all([Promise.all(redemptions), revocation])

    const issued = outcomes.flatMap((o) => (o._tag === "Success" ? [o.success] : []))
    const refused = outcomes.flatMap((o) => (o._tag === "Failure" ? [codeOf(o.failure)] : []))
    expect(refused).toEqual(new Array(20 - issued.length).fill("invalid_grant"))
    // Every code was made before the revocation, so whatever was handed out is dead.
    for (const set of issued) {
      expect(codeOf(await failureOf(refreshTokens(refreshInput(set.refresh_token ?? "")), clock))).toBe("invalid_grant")
      expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: set.access_token }), clock))).toBe("invalid_token")
    }
    const index = env.REFRESH_FAMILY_INDEX.get(env.REFRESH_FAMILY_INDEX.idFromName(familyIndexShardName(userId)))
    // A family registered before the revocation was listed and removed; none registered after.
    expect(await index.describe(userId)).toEqual([])
  })

  it("in the index: registrations racing beginRevokeAll are either listed by it or refused — never neither", async () => {
    const userId = `u-${crypto.randomUUID()}`
    const index = env.REFRESH_FAMILY_INDEX.get(env.REFRESH_FAMILY_INDEX.idFromName(`race-${crypto.randomUUID()}`))
    const now = Date.now()
    const registrations = Array.from({ length: 20 }, (_, i) => index.register({
      userId, familyId: `f${i}`, clientId: "client-a", sid: "s1", offline: true, expiresAt: now + 3_600_000,
      grantedAt: now - 1, authTime: now - 1, now
    }))
    const listing = index.beginRevokeAll({ userId, keepSid: null, now })
    const [outcomes, listed] = await Promise.all([Promise.all(registrations), listing])
    const registered = outcomes.flatMap((o, i) => (o._tag === "registered" ? [`f${i}`] : []))
    expect(new Set(listed.map((f) => f.familyId))).toEqual(new Set(registered))
    expect(outcomes.filter((o) => o._tag === "refused")).toHaveLength(20 - registered.length)
  })

  it("20 redemptions of one session racing its end: online families all dead, offline ones live on without its sid", async () => {
    const clock = new ManualClock()
    const userId = `u-${crypto.randomUUID()}`
    const sessionExpiresAt = clock.nowMs + 3_600_000
    const codes = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      run(createAuthorizationCode(grantInput({ userId, sid: "s1", sessionExpiresAt, scope: i % 2 === 0 ? "openid offline_access" : "openid" })), clock)))
    const redemptions = codes.map(({ code }) =>
      run(Effect.result(exchangeAuthorizationCode(exchangeInput(code, { onlineRefreshTokens: true }))), clock))
    const [outcomes] = await Promise.all([Promise.all(redemptions), run(revokeFamiliesForSession({ userId, sid: "s1" }), clock)])

    for (const [i, outcome] of outcomes.entries()) {
      const offline = i % 2 === 0
      if (outcome._tag === "Failure") {
        // Only an online family can be refused (its session ended); an offline one is never refused for that.
        expect([offline, codeOf(outcome.failure)]).toEqual([false, "invalid_grant"])
        continue
      }
      const refreshed = await run(Effect.result(refreshTokens(refreshInput(outcome.success.refresh_token ?? ""))), clock)
      if (offline) {
        // Whatever the order, the family survives and no refreshed ID token names the ended session.
        expect(refreshed._tag).toBe("Success")
        if (refreshed._tag === "Success") expect(decodeJwt(refreshed.success.id_token ?? "")).not.toHaveProperty("sid")
      } else {
        expect(refreshed._tag === "Failure" ? codeOf(refreshed.failure) : "refreshed").toBe("invalid_grant")
        expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: outcome.success.access_token }), clock))).toBe("invalid_token")
      }
    }
  })
})
