import { MIN_PURGE_SPACING_MS } from "@authrim/platform"
import { env } from "cloudflare:workers"
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import type { StoredGrant } from "../src/authorization_code_store.ts"
import { familyPurgeSpacingMs } from "../src/token_lifetimes.ts"

const hour = 3_600_000
const grant: StoredGrant = {
  clientId: "client-a", redirectUri: "https://rp.example/cb", userId: "user-1", scope: "openid", codeChallenge: null,
  nonce: null, authTime: 0, acr: null, amr: ["pwd"], sid: null
}
const redeem = (codeHash: string, now: number) => ({
  codeHash, clientId: "client-a", redirectUri: "https://rp.example/cb", verifierChallenge: null, now,
  accessJti: `jti-${codeHash}`, accessExpiresAt: now + hour, refreshFamilyId: null
})

describe("AuthorizationCodeStore purge (alarm)", () => {
  it("purges unused codes at expiry but keeps redeemed ones for the replay window", async () => {
    const stub = env.AUTHORIZATION_CODES.get(env.AUTHORIZATION_CODES.idFromName("alarm-test"))
    const past = Date.now() - 10 * 60_000
    await runInDurableObject(stub, async (store) => {
      await store.create({ codeHash: "unused", grant, now: past, expiresAt: past + 60_000 })
      await store.create({ codeHash: "redeemed", grant, now: past, expiresAt: past + 60_000 })
      expect(store.redeem(redeem("redeemed", past))._tag).toBe("redeemed")
    })
    await runDurableObjectAlarm(stub)
    await runInDurableObject(stub, (store, state) => {
      const hashes = state.storage.sql.exec<{ code_hash: string }>("SELECT code_hash FROM authorization_codes").toArray()
      expect(hashes.map((r) => r.code_hash)).toEqual(["redeemed"])
      // Still detected as a replay, with the ids to revoke.
      expect(store.redeem(redeem("redeemed", Date.now()))).toEqual({
        _tag: "replayed", issued: { accessJti: "jti-redeemed", accessExpiresAt: past + hour, refreshFamilyId: null }
      })
    })
  })
})

describe("AuthorizationCodeStore purge of sealed-code redemptions (alarm)", () => {
  it("keeps a redemption for the replay window, then drops it", async () => {
    const stub = env.AUTHORIZATION_CODES.get(env.AUTHORIZATION_CODES.idFromName("alarm-test-sealed"))
    const now = Date.now()
    const consume = (codeHash: string, at: number) => ({
      codeHash, clientId: "client-a", rejection: null, now: at,
      accessJti: `jti-${codeHash}`, accessExpiresAt: at + hour, refreshFamilyId: null
    })
    await runInDurableObject(stub, async (store) => {
      expect(await store.consume(consume("old", now - 3 * hour))).toEqual({ _tag: "consumed" })
      expect(await store.consume(consume("recent", now - 60_000))).toEqual({ _tag: "consumed" })
    })
    await runDurableObjectAlarm(stub)
    await runInDurableObject(stub, async (store, state) => {
      const hashes = state.storage.sql.exec<{ code_hash: string }>("SELECT code_hash FROM redeemed_codes").toArray()
      expect(hashes.map((r) => r.code_hash)).toEqual(["recent"])
      // Still detected as a replay, with the ids to revoke.
      expect(await store.consume(consume("recent", now))).toEqual({
        _tag: "replayed", issued: { accessJti: "jti-recent", accessExpiresAt: now - 60_000 + hour, refreshFamilyId: null }
      })
    })
  })
})

describe("TokenRevocationStore purge (alarm)", () => {
  it("drops a revocation once the revoked token would have expired, keeps live ones", async () => {
    const stub = env.TOKEN_REVOCATIONS.get(env.TOKEN_REVOCATIONS.idFromName("alarm-test"))
    const now = Date.now()
    await stub.revoke({ jti: "expired", reason: "test", now: now - 2 * hour, expiresAt: now - hour })
    await stub.revoke({ jti: "live", reason: "test", now, expiresAt: now + hour })
    expect(await stub.isRevoked("expired")).toBe(true)
    await runDurableObjectAlarm(stub)
    expect(await stub.isRevoked("expired")).toBe(false)
    expect(await stub.isRevoked("live")).toBe(true)
    expect(await runInDurableObject(stub, (_s, state) => state.storage.getAlarm())).toBe(now + hour)
  })

  it("purges at most once a minute: an expiry a few seconds away waits for the spacing (each alarm is a billed request)", async () => {
    const stub = env.TOKEN_REVOCATIONS.get(env.TOKEN_REVOCATIONS.idFromName("spacing-test"))
    const now = Date.now()
    await stub.revoke({ jti: "gone", reason: "test", now: now - hour, expiresAt: now - 1 })
    await stub.revoke({ jti: "soon", reason: "test", now, expiresAt: now + 5_000 })
    await runDurableObjectAlarm(stub)
    const alarm = await runInDurableObject(stub, (_s, state) => state.storage.getAlarm())
    expect(alarm).toBeGreaterThanOrEqual(now + MIN_PURGE_SPACING_MS)
    expect(await stub.isRevoked("soon")).toBe(true)
  })

  it("needs no row for a token that has already expired", async () => {
    const stub = env.TOKEN_REVOCATIONS.get(env.TOKEN_REVOCATIONS.idFromName("expired-input"))
    await stub.revoke({ jti: "old", reason: "test", now: Date.now(), expiresAt: Date.now() - 1 })
    expect(await stub.isRevoked("old")).toBe(false)
  })
})

describe("RefreshTokenRotator purge (alarm)", () => {
  it("purges families 30 days after creation", async () => {
    const stub = env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName("alarm-test"))
    const now = Date.now()
    const family = (familyId: string, createdAt: number) => ({
      familyId, tokenHash: `hash-${familyId}`, clientId: "client-a", userId: "user-1", scope: "openid", authTime: createdAt,
      sid: null, amr: [], acr: null, now: createdAt, access: { jti: `jti-${familyId}`, expiresAt: createdAt + hour }
    })
    await stub.create(family("old", now - 31 * 24 * hour))
    await stub.create(family("young", now - 24 * hour))
    await runDurableObjectAlarm(stub)
    expect(await stub.describe("old")).toBeNull()
    expect(await stub.describe("young")).toEqual({ rotationCount: 0, previousCount: 0, revoked: false })
    // The next purge waits for the young family's expiry, and never comes sooner than a day (it scans the shard).
    const alarm = await runInDurableObject(stub, (_s, state) => state.storage.getAlarm())
    expect(alarm).toBe(now - 24 * hour + 30 * 24 * hour)
    await stub.create(family("soon", now - 30 * 24 * hour + hour))
    await runDurableObjectAlarm(stub)
    expect(await stub.describe("soon")).not.toBeNull()
    const spaced = await runInDurableObject(stub, (_s, state) => state.storage.getAlarm())
    expect(spaced).toBeGreaterThanOrEqual(now + familyPurgeSpacingMs)
  })

  it("a family revoked before it was created (code replay tombstone) is born revoked", async () => {
    const stub = env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName("tombstone-test"))
    const now = Date.now()
    await stub.revoke({ familyId: "f1", clientId: "client-a", presentedHash: null, reason: "authorization_code_replay", now, tombstone: true })
    const created = await stub.create({
      familyId: "f1", tokenHash: "h1", clientId: "client-a", userId: "user-1", scope: "openid", authTime: now,
      sid: null, amr: [], acr: null, now, access: { jti: "j1", expiresAt: now + hour }
    })
    expect(created).toEqual({ revoked: true })
    expect(await stub.rotate({ familyId: "f1", presentedHash: "h1", newHash: "h2", clientId: "client-a", requestedScope: null, now, access: { jti: "j2", expiresAt: now + hour } }))
      .toMatchObject({ _tag: "rejected", code: "invalid_grant" })
  })
})
