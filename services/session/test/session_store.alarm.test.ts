import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { PURGE_INTERVAL_MS } from "../src/shard_operations.ts"
import { d1Row, loginFor, outcome, setClock, shardStub, success, userInShard } from "./session_fixtures.ts"

// Shards 20–24 belong to this file. Time is the DO's injected clock, never a sleep.
const HOUR = 3600_000

describe("SessionStore — expiry (TTL) and the purge alarm", () => {
  it("never returns a session at or after its expiry, from memory or from D1", async () => {
    const shard = 20
    const stub = shardStub(shard)
    const t0 = Date.now()
    await setClock(shard, t0)
    const userId = userInShard(shard, "expiring")
    const { session, cookie } = success(await stub.create(loginFor(userId, { ttlSeconds: 3600 })))
    await setClock(shard, t0 + HOUR - 1)
    expect(outcome(await stub.authenticate({ cookie }))).toBe("Success")
    await setClock(shard, t0 + HOUR)
    expect(outcome(await stub.authenticate({ cookie }))).toBe("NotFound")
    expect(outcome(await stub.get({ sessionId: session.id }))).toBe("NotFound")
    expect(success(await stub.listForUser({ userId })).sessions).toEqual([])
    // Same answer when the session has to come from D1.
    await evictDurableObject(stub)
    await setClock(shard, t0 + HOUR)
    expect(outcome(await stub.authenticate({ cookie }))).toBe("NotFound")
    await runInDurableObject(stub, (instance) => expect(instance.hot.has(session.id)).toBe(false))
  })

  it("schedules an alarm at the first expiry, which purges expired sessions from memory and D1 and keeps live ones", async () => {
    const shard = 21
    const stub = shardStub(shard)
    const t0 = Date.now()
    await setClock(shard, t0)
    const short = success(await stub.create(loginFor(userInShard(shard, "short"), { ttlSeconds: 3600 })))
    const long = success(await stub.create(loginFor(userInShard(shard, "long"), { ttlSeconds: 48 * 3600 })))
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBe(short.session.expiresAt)

    await setClock(shard, t0 + 2 * HOUR)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await d1Row(short.session.id)).toBeNull()
    expect(await d1Row(long.session.id)).not.toBeNull()
    await runInDurableObject(stub, async (instance, state) => {
      expect(instance.hot.has(short.session.id)).toBe(false)
      expect(instance.hot.has(long.session.id)).toBe(true)
      // Next purge: when the remaining session expires.
      expect(await state.storage.getAlarm()).toBe(long.session.expiresAt)
    })
    expect(outcome(await stub.authenticate({ cookie: long.cookie }))).toBe("Success")
  })

  it("purges rows whose session was only in D1 (after a restart) and stops when the shard is empty", async () => {
    const shard = 22
    const stub = shardStub(shard)
    const t0 = Date.now()
    await setClock(shard, t0)
    const { session } = success(await stub.create(loginFor(userInShard(shard, "cold"), { ttlSeconds: 60 })))
    await evictDurableObject(stub)
    await setClock(shard, t0 + HOUR)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await d1Row(session.id)).toBeNull()
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBeNull()
  })

  it("batches purges: the next alarm is never sooner than the purge interval", async () => {
    const shard = 23
    const stub = shardStub(shard)
    const t0 = Date.now()
    await setClock(shard, t0)
    await stub.create(loginFor(userInShard(shard, "a"), { ttlSeconds: 60 }))
    const soon = success(await stub.create(loginFor(userInShard(shard, "b"), { ttlSeconds: 120 })))
    await setClock(shard, t0 + 61_000)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const next = await runInDurableObject(stub, (_, state) => state.storage.getAlarm())
    expect(next).toBe(t0 + 61_000 + PURGE_INTERVAL_MS)
    expect(next).toBeGreaterThan(soon.session.expiresAt)
  })

  it("does not touch other shards' rows", async () => {
    const stub = shardStub(24)
    const neighbourStub = shardStub(25)
    const t0 = Date.now()
    await setClock(24, t0)
    await setClock(25, t0)
    const mine = success(await stub.create(loginFor(userInShard(24, "mine"), { ttlSeconds: 60 })))
    const theirs = success(await neighbourStub.create(loginFor(userInShard(25, "theirs"), { ttlSeconds: 60 })))
    await setClock(24, t0 + HOUR)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await d1Row(mine.session.id)).toBeNull()
    expect(await d1Row(theirs.session.id)).not.toBeNull()
  })
})
