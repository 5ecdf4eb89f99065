/**
 * RefreshFamilyIndex and the revocations that use it (issue 9 §2): every
 * family of a user is listed in one shard; a session's end revokes its online
 * families and strips its sid from offline ones; "revoke all" revokes every
 * family with its access tokens, and a grant issued before it cannot become a family later.
 */
import { env } from "cloudflare:workers"
import { decodeJwt } from "jose"
import { describe, expect, it } from "vitest"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { revokeAllForUser, revokeFamiliesForSession } from "../src/family_index/revoke_user_families.ts"
import { familyIndexShardName, refreshShardName } from "../src/shard_routing.ts"
import { familyIdOf } from "../src/token_format.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, exchangeInput, failureOf, grantInput, issuer, ManualClock, refreshInput, run } from "./token_fixtures.ts"

const hour = 3_600_000
const index = (userId: string) => env.REFRESH_FAMILY_INDEX.get(env.REFRESH_FAMILY_INDEX.idFromName(familyIndexShardName(userId)))
const rotatorOf = (refreshToken: string) => {
  const familyId = familyIdOf(refreshToken) ?? ""
  return { familyId, stub: env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName(refreshShardName("client-a", familyId))) }
}

/** A sign-in of `userId` in session `sid`: offline (offline_access) or online (online-refresh client). */
const signInAs = async (clock: ManualClock, userId: string, sid: string, kind: "offline" | "online") => {
  const { code } = await run(createAuthorizationCode(grantInput({
    userId, sid, scope: kind === "offline" ? "openid offline_access" : "openid", sessionExpiresAt: clock.nowMs + 8 * hour
  })), clock)
  return run(exchangeAuthorizationCode(exchangeInput(code, { onlineRefreshTokens: true })), clock)
}

const refreshFails = async (clock: ManualClock, refreshToken: string) =>
  codeOf(await failureOf(refreshTokens(refreshInput(refreshToken)), clock))

describe("RefreshFamilyIndex — user → families", () => {
  it("lists each family once with its client, session and kind, in the user's shard", async () => {
    const clock = new ManualClock()
    const userId = `u-${crypto.randomUUID()}`
    const offline = await signInAs(clock, userId, "s1", "offline")
    const online = await signInAs(clock, userId, "s1", "online")
    const listed = await index(userId).describe(userId)
    expect(listed.map((f) => ({ familyId: f.familyId, clientId: f.clientId, sid: f.sid, offline: f.offline })).sort((a, b) => a.familyId.localeCompare(b.familyId)))
      .toEqual([
        { familyId: familyIdOf(offline.refresh_token!), clientId: "client-a", sid: "s1", offline: true },
        { familyId: familyIdOf(online.refresh_token!), clientId: "client-a", sid: "s1", offline: false }
      ].sort((a, b) => a.familyId!.localeCompare(b.familyId!)))
  })

  it("a session's end revokes its online families (and their access tokens) and detaches its offline ones", async () => {
    const clock = new ManualClock()
    const userId = `u-${crypto.randomUUID()}`
    const offline = await signInAs(clock, userId, "s1", "offline")
    const online = await signInAs(clock, userId, "s1", "online")
    const otherSession = await signInAs(clock, userId, "s2", "online")
    expect(await run(revokeFamiliesForSession({ userId, sid: "s1" }), clock)).toEqual({ revoked: 1, detached: 1 })

    expect(await refreshFails(clock, online.refresh_token!)).toBe("invalid_grant")
    expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: online.access_token }), clock))).toBe("invalid_token")
    // The offline family lives on, without the ended session's sid.
    const refreshed = await run(refreshTokens(refreshInput(offline.refresh_token!)), clock)
    expect(decodeJwt(refreshed.id_token!)).not.toHaveProperty("sid")
    await expect(run(verifyAccessToken({ issuer, token: offline.access_token }), clock)).resolves.toHaveProperty("sub", userId)
    // Another session's family is untouched.
    await expect(run(refreshTokens(refreshInput(otherSession.refresh_token!)), clock)).resolves.toHaveProperty("refresh_token")
    expect((await index(userId).describe(userId)).map((f) => f.sid).sort()).toEqual([null, "s2"])
    // Idempotent.
    expect(await run(revokeFamiliesForSession({ userId, sid: "s1" }), clock)).toEqual({ revoked: 0, detached: 0 })
  })

  it("after a session ended, a code of that session gets no online family and an offline one without sid", async () => {
    const clock = new ManualClock()
    const userId = `u-${crypto.randomUUID()}`
    const grant = (scope: string) => grantInput({ userId, sid: "s9", scope, sessionExpiresAt: clock.nowMs + hour })
    const onlineCode = (await run(createAuthorizationCode(grant("openid")), clock)).code
    const offlineCode = (await run(createAuthorizationCode(grant("openid offline_access")), clock)).code
    await run(revokeFamiliesForSession({ userId, sid: "s9" }), clock)
    const refused = await failureOf(exchangeAuthorizationCode(exchangeInput(onlineCode, { onlineRefreshTokens: true })), clock)
    expect(codeOf(refused)).toBe("invalid_grant")
    const offline = await run(exchangeAuthorizationCode(exchangeInput(offlineCode)), clock)
    expect(decodeJwt(offline.id_token!)).not.toHaveProperty("sid")
    const { stub, familyId } = rotatorOf(offline.refresh_token!)
    expect(await stub.lifetime(familyId)).toMatchObject({ sid: null })
  })

  it("revoke all: every family of the user, offline ones included, and their access tokens; other users untouched", async () => {
    const clock = new ManualClock()
    const userId = `u-${crypto.randomUUID()}`
    const families = [
      await signInAs(clock, userId, "s1", "offline"), await signInAs(clock, userId, "s1", "online"), await signInAs(clock, userId, "s2", "offline")
    ]
    const bystander = await signInAs(clock, `u-${crypto.randomUUID()}`, "s3", "offline")
    clock.advance(1_000)
    expect(await run(revokeAllForUser({ userId, reason: "password_reset" }), clock)).toEqual({ revoked: 3 })
    for (const set of families) {
      expect(await refreshFails(clock, set.refresh_token!)).toBe("invalid_grant")
      expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: set.access_token }), clock))).toBe("invalid_token")
      const { stub, familyId } = rotatorOf(set.refresh_token!)
      expect(await stub.lifetime(familyId)).toMatchObject({ revokedReason: "password_reset" })
    }
    expect(await index(userId).describe(userId)).toEqual([])
    await expect(run(refreshTokens(refreshInput(bystander.refresh_token!)), clock)).resolves.toHaveProperty("refresh_token")
  })

  it("revoke all refuses a grant issued before it, and one authenticated before it unless from the kept session", async () => {
    const clock = new ManualClock()
    const userId = `u-${crypto.randomUUID()}`
    const authTime = clock.nowMs - 60_000
    const code = (sid: string) => run(createAuthorizationCode(grantInput({ userId, sid, authTime, scope: "openid offline_access" })), clock)
    const issuedBefore = (await code("kept")).code
    clock.advance(1_000)
    await run(revokeAllForUser({ userId, reason: "password_change", keepSessionId: "kept" }), clock)
    clock.advance(1_000)
    // Made before the cutoff: refused, even from the kept session.
    expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(issuedBefore)), clock))).toBe("invalid_grant")
    // Made after, from a session authenticated before the cutoff that was not kept: refused.
    expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput((await code("other")).code)), clock))).toBe("invalid_grant")
    // Made after, from the kept session: a refresh token as usual.
    expect((await run(exchangeAuthorizationCode(exchangeInput((await code("kept")).code)), clock)).refresh_token).toMatch(/^rt_/)
    // A new sign-in after the cutoff is not affected.
    const fresh = await run(createAuthorizationCode(grantInput({ userId, sid: "new", authTime: clock.nowMs, scope: "openid offline_access" })), clock)
    expect((await run(exchangeAuthorizationCode(exchangeInput(fresh.code)), clock)).refresh_token).toMatch(/^rt_/)
  })

  it("a family detached before it was created is created without the sid; revoked before, it is born revoked", async () => {
    const stub = env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName(`detach-${crypto.randomUUID()}`))
    const now = Date.now()
    const create = (familyId: string) => stub.create({
      familyId, tokenHash: `h-${familyId}`, clientId: "client-a", userId: "u1", scope: "openid offline_access", authTime: now,
      sid: "s1", amr: ["pwd"], acr: null, now, access: { jti: `a-${familyId}`, expiresAt: now + hour }, sidExpiresAt: now + hour
    })
    await stub.detachSession({ familyId: "f1", clientId: "client-a", userId: "u1", sid: "s1", now })
    // The placeholder is no usable family.
    await expect(stub.rotate({ familyId: "f1", presentedHash: "", newHash: "x", clientId: "client-a", requestedScope: null, now, access: { jti: "x", expiresAt: now + hour } }))
      .resolves.toMatchObject({ _tag: "rejected" })
    expect(await create("f1")).toEqual({ revoked: false })
    expect(await stub.lifetime("f1")).toMatchObject({ sid: null, revokedReason: null })
    await stub.revoke({ familyId: "f2", clientId: "client-a", presentedHash: null, reason: "password_reset", now, tombstone: true })
    expect(await create("f2")).toEqual({ revoked: true })
  })
})
