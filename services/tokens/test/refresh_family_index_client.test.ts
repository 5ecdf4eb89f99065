/**
 * Revoking one client's refresh families of a user (issue 12: an admin revoked
 * the user's consent for that client): that client's families die with their
 * access tokens, the user's other clients are untouched, and a grant of that
 * client issued before the revocation cannot become a family afterwards —
 * also when it races the revocation.
 */
import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { revokeFamiliesForClient } from "../src/family_index/revoke_user_families.ts"
import { familyIndexShardName } from "../src/shard_routing.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, exchangeInput, failureOf, grantInput, issuer, ManualClock, refreshInput, run } from "./token_fixtures.ts"

const offlineGrant = (userId: string, clientId: string) => grantInput({ userId, clientId, sid: "s1", scope: "openid offline_access" })

const signInTo = async (clock: ManualClock, userId: string, clientId: string) => {
  const { code } = await run(createAuthorizationCode(offlineGrant(userId, clientId)), clock)
  return run(exchangeAuthorizationCode(exchangeInput(code, { clientId })), clock)
}

describe("revokeFamiliesForClient — one client's families of one user", () => {
  it("kills that client's refresh and access tokens, leaves the other client's alone, and is idempotent", async () => {
    const clock = new ManualClock()
    const userId = `u-${crypto.randomUUID()}`
    const a1 = await signInTo(clock, userId, "client-a")
    const a2 = await signInTo(clock, userId, "client-a")
    const b = await signInTo(clock, userId, "client-b")
    expect(await run(revokeFamiliesForClient({ userId, clientId: "client-a" }), clock)).toEqual({ revoked: 2 })
    for (const set of [a1, a2]) {
      expect(codeOf(await failureOf(refreshTokens(refreshInput(set.refresh_token!)), clock))).toBe("invalid_grant")
      expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: set.access_token }), clock))).toBe("invalid_token")
    }
    const refreshed = await run(refreshTokens(refreshInput(b.refresh_token!, { clientId: "client-b" })), clock)
    expect(refreshed.refresh_token).toBeDefined()
    expect(await run(revokeFamiliesForClient({ userId, clientId: "client-a" }), clock)).toEqual({ revoked: 0 })
  })

  it("a code of that client issued before the revocation gets no refresh token; one issued after does", async () => {
    const clock = new ManualClock()
    const userId = `u-${crypto.randomUUID()}`
    const { code: before } = await run(createAuthorizationCode(offlineGrant(userId, "client-a")), clock)
    const { code: otherClient } = await run(createAuthorizationCode(offlineGrant(userId, "client-b")), clock)
    clock.advance(1)
    await run(revokeFamiliesForClient({ userId, clientId: "client-a" }), clock)
    clock.advance(1)
    expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(before)), clock))).toBe("invalid_grant")
    expect((await run(exchangeAuthorizationCode(exchangeInput(otherClient, { clientId: "client-b" })), clock)).refresh_token).toBeDefined()
    expect((await signInTo(clock, userId, "client-a")).refresh_token).toBeDefined()
  })

  it("20 redemptions racing the revocation: none of that client's tokens survives, and the index keeps none", async () => {
    const clock = new ManualClock()
    const userId = `u-${crypto.randomUUID()}`
    const codes = await Promise.all(Array.from({ length: 20 }, () => run(createAuthorizationCode(offlineGrant(userId, "client-a")), clock)))
    const redemptions = codes.map(({ code }) => run(Effect.result(exchangeAuthorizationCode(exchangeInput(code))), clock))
    const revocation = run(revokeFamiliesForClient({ userId, clientId: "client-a" }), clock)
    const [outcomes] = await Promise.all([Promise.all(redemptions), revocation])
    const issued = outcomes.flatMap((o) => (o._tag === "Success" ? [o.success] : []))
    const refused = outcomes.flatMap((o) => (o._tag === "Failure" ? [codeOf(o.failure)] : []))
    expect(refused).toEqual(new Array(20 - issued.length).fill("invalid_grant"))
    for (const set of issued) {
      expect(codeOf(await failureOf(refreshTokens(refreshInput(set.refresh_token ?? "")), clock))).toBe("invalid_grant")
      expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: set.access_token }), clock))).toBe("invalid_token")
    }
    const index = env.REFRESH_FAMILY_INDEX.get(env.REFRESH_FAMILY_INDEX.idFromName(familyIndexShardName(userId)))
    expect(await index.describe(userId)).toEqual([])
  })
})
