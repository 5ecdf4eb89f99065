import { evictDurableObject, runInDurableObject } from "cloudflare:test"
import { exports } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { sessionShardFor } from "../src/session_shard.ts"
import { d1Row, loginFor, outcome, shardStub, success, userInShard } from "./session_fixtures.ts"

// Shards 40–44 belong to this file.

describe("SessionStore — revokeForUser (sign out everywhere)", () => {
  it("ends every session of the user, in memory and in D1, and leaves other users' sessions alone", async () => {
    const shard = 40
    const stub = shardStub(shard)
    const userId = userInShard(shard, "everywhere")
    const neighbour = userInShard(shard, "neighbour")
    const mine = []
    for (let i = 0; i < 3; i++) mine.push(success(await stub.create(loginFor(userId))))
    const theirs = success(await stub.create(loginFor(neighbour)))
    const { revoked } = success(await stub.revokeForUser({ userId }))
    expect(new Set(revoked)).toEqual(new Set(mine.map((m) => m.session.id)))
    for (const { session, cookie } of mine) {
      expect(outcome(await stub.authenticate({ cookie }))).toBe("NotFound")
      expect(await d1Row(session.id)).toBeNull()
    }
    expect(success(await stub.listForUser({ userId })).sessions).toEqual([])
    expect(outcome(await stub.authenticate({ cookie: theirs.cookie }))).toBe("Success")
    // Idempotent: nothing left to end.
    expect(success(await stub.revokeForUser({ userId })).revoked).toEqual([])
  })

  it("keeps the session named in keepSessionId (the browser that asked)", async () => {
    const shard = 41
    const stub = shardStub(shard)
    const userId = userInShard(shard, "keeper")
    const current = success(await stub.create(loginFor(userId)))
    const other = success(await stub.create(loginFor(userId)))
    expect(success(await stub.revokeForUser({ userId, keepSessionId: current.session.id })).revoked).toEqual([other.session.id])
    expect(outcome(await stub.authenticate({ cookie: current.cookie }))).toBe("Success")
    expect(outcome(await stub.authenticate({ cookie: other.cookie }))).toBe("NotFound")
  })

  it("ends sessions that were only in D1 (evicted from memory), beyond the hot-set bound", async () => {
    const shard = 42
    const stub = shardStub(shard)
    const userId = userInShard(shard, "cold")
    const limit = await runInDurableObject(stub, (instance) => instance.hot.limit)
    const created = []
    for (let i = 0; i < limit + 3; i++) created.push(success(await stub.create(loginFor(userId))))
    await evictDurableObject(stub)
    expect(success(await stub.revokeForUser({ userId })).revoked).toHaveLength(created.length)
    for (const { cookie } of created) expect(outcome(await stub.authenticate({ cookie }))).toBe("NotFound")
  })

  it("a cold authentication racing the revocation never brings a session back (20 concurrent)", async () => {
    const shard = 43
    const stub = shardStub(shard)
    const userId = userInShard(shard, "race")
    const { cookie } = success(await stub.create(loginFor(userId)))
    await evictDurableObject(stub)
    const racing = Array.from({ length: 20 }, () => stub.authenticate({ cookie }))
    const [result] = await Promise.all([stub.revokeForUser({ userId }), ...racing])
    expect(success(result).revoked).toHaveLength(1)
    expect(outcome(await stub.authenticate({ cookie }))).toBe("NotFound")
    await runInDurableObject(stub, (instance) => expect(instance.hot.idsOfUser(userId)).toEqual([]))
  })
})

describe("SessionForEdge entrypoint — revokeForUser routes by user, and a full round trip survives eviction", () => {
  it("revokes through the entrypoint", async () => {
    const userId = `svc-${crypto.randomUUID()}`
    const a = success(await exports.SessionForEdge.create(loginFor(userId)))
    const b = success(await exports.SessionForEdge.create(loginFor(userId)))
    expect(new Set(success(await exports.SessionAdmin.revokeForUser({ userId })).revoked)).toEqual(new Set([a.session.id, b.session.id]))
    expect(outcome(await exports.SessionForEdge.authenticate({ cookie: a.cookie }))).toBe("NotFound")
  })

  it("create → evict the shard → authenticate, get, list and revoke through the entrypoint", async () => {
    const userId = userInShard(44, "round-trip")
    const { session, cookie } = success(await exports.SessionForEdge.create(loginFor(userId)))
    await evictDurableObject(shardStub(sessionShardFor(userId)))
    expect(success(await exports.SessionForEdge.authenticate({ cookie }))).toEqual(session)
    expect(success(await exports.SessionForEdge.get({ sessionId: session.id }))).toEqual(session)
    expect(success(await exports.SessionForEdge.listForUser({ userId })).sessions).toEqual([session])
    await evictDurableObject(shardStub(sessionShardFor(userId)))
    expect(success(await exports.SessionForEdge.revoke({ sessionId: session.id }))).toEqual({ revoked: true, userId })
    expect(outcome(await exports.SessionForEdge.authenticate({ cookie }))).toBe("NotFound")
  })
})
