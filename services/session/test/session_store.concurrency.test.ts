import { evictDurableObject, runInDurableObject } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { d1Row, loginFor, outcome, shardStub, success, userInShard } from "./session_fixtures.ts"

// Shards 30–34 belong to this file. Calls go through the DO stub, so they interleave as real RPCs do.

describe("SessionStore — concurrency", () => {
  it("20 concurrent creates for one user: no session is lost", async () => {
    const shard = 30
    const stub = shardStub(shard)
    const userId = userInShard(shard, "burst")
    const created = await Promise.all(Array.from({ length: 20 }, async () => success(await stub.create(loginFor(userId)))))
    const ids = new Set(created.map((c) => c.session.id))
    expect(ids.size).toBe(20)
    expect(new Set(success(await stub.listForUser({ userId })).sessions.map((s) => s.id))).toEqual(ids)
    await evictDurableObject(stub)
    const outcomes = await Promise.all(created.map(async ({ cookie }) => outcome(await stub.authenticate({ cookie }))))
    expect(outcomes).toEqual(new Array(20).fill("Success"))
  })

  it("20 concurrent revokes of one session: exactly one reports revoking it", async () => {
    const shard = 31
    const stub = shardStub(shard)
    const { session, cookie } = success(await stub.create(loginFor(userInShard(shard, "revoke-race"))))
    const results = await Promise.all(Array.from({ length: 20 }, async () => success(await stub.revoke({ sessionId: session.id }))))
    expect(results.filter((r) => r.revoked)).toHaveLength(1)
    expect(outcome(await stub.authenticate({ cookie }))).toBe("NotFound")
  })

  it("revoke racing 20 authentications of a cold session: the revoked session never comes back", async () => {
    const shard = 32
    const stub = shardStub(shard)
    for (let round = 0; round < 5; round++) {
      const { session, cookie } = success(await stub.create(loginFor(userInShard(shard, `cold-race-${round}`))))
      // Evict so every authentication misses memory and reads D1 while the revoke deletes the row.
      await evictDurableObject(stub)
      const authentications = Array.from({ length: 20 }, async () => outcome(await stub.authenticate({ cookie })))
      const revoke = (async () => success(await stub.revoke({ sessionId: session.id })))()
      const [revoked, ...outcomes] = await Promise.all([revoke, ...authentications])
      expect(revoked).toEqual({ revoked: true, userId: session.userId })
      for (const o of outcomes) expect(["Success", "NotFound"]).toContain(o)
      // After the race: gone from memory, from D1, and for every later caller.
      await runInDurableObject(stub, (instance) => expect(instance.hot.has(session.id)).toBe(false))
      expect(await d1Row(session.id)).toBeNull()
      expect(outcome(await stub.authenticate({ cookie }))).toBe("NotFound")
      expect(outcome(await stub.get({ sessionId: session.id }))).toBe("NotFound")
    }
  })
})
