/**
 * `endSessionsForUser` — "sign out everywhere" and password reset/change with
 * Back-Channel Logout 1.0 §2.1: every ended session comes back with the RPs
 * it signed into, each (session, client) handed out exactly once, also when
 * racing `endSession`; with `blockNewSessions` (a disabled user) no session survives a racing create. Shards 75–78 are this file's own.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test"
import { exports } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { loginFor, outcome, shardStub, success, userInShard } from "./session_fixtures.ts"
import { BLOCK_GRACE_MS } from "../src/blocked_users.ts"

const service = exports.SessionForEdge

/** Opens `count` sessions of `userId` and records `clients(i)` for session i. */
const sessionsWithClients = async (shard: number, userId: string, count: number, clients: (i: number) => ReadonlyArray<string>) => {
  const stub = shardStub(shard)
  const opened = []
  for (let i = 0; i < count; i++) {
    const created = success(await stub.create(loginFor(userId)))
    for (const clientId of clients(i)) {
      success(await service.recordClient({ sessionId: created.session.id, clientId, expiresAt: created.session.expiresAt }))
    }
    opened.push(created)
  }
  return opened
}

const byId = (ended: ReadonlyArray<{ sessionId: string; clientIds: ReadonlyArray<string> }>) =>
  Object.fromEntries(ended.map((e) => [e.sessionId, [...e.clientIds]]))

describe("endSessionsForUser — sign out everywhere with Back-Channel Logout 1.0 §2.1", () => {
  it("ends every session of the user but the kept one, returning each ended session's clients once", async () => {
    const userId = userInShard(75, "everywhere")
    const neighbour = userInShard(75, "neighbour")
    const [kept, a, b] = await sessionsWithClients(75, userId, 3, (i) => [[`rp-kept`], ["rp-x", "rp-y"], []][i]!)
    const [other] = await sessionsWithClients(75, neighbour, 1, () => ["rp-n"])
    const { ended } = success(await service.endSessionsForUser({ userId, keepSessionId: kept!.session.id }))
    expect(byId(ended)).toEqual({ [a!.session.id]: ["rp-x", "rp-y"], [b!.session.id]: [] })
    for (const gone of [a!, b!]) expect(outcome(await service.authenticate({ cookie: gone.cookie }))).toBe("NotFound")
    // The kept session, and another user's, still have their sessions and their RPs.
    for (const alive of [kept!, other!]) expect(outcome(await service.authenticate({ cookie: alive.cookie }))).toBe("Success")
    await runInDurableObject(shardStub(75), (instance) => {
      expect(instance.loggedInClients.peek(kept!.session.id)).toEqual(["rp-kept"])
      expect(instance.loggedInClients.peek(other!.session.id)).toEqual(["rp-n"])
    })
    expect(success(await service.endSessionsForUser({ userId, keepSessionId: kept!.session.id }))).toEqual({ ended: [] })
  })

  it("ends sessions known only to D1 after eviction, with their clients (kept in the shard's SQLite)", async () => {
    const userId = userInShard(76, "cold")
    const [first, second] = await sessionsWithClients(76, userId, 2, (i) => [`rp-${i}`])
    await evictDurableObject(shardStub(76))
    const { ended } = success(await service.endSessionsForUser({ userId }))
    expect(byId(ended)).toEqual({ [first!.session.id]: ["rp-0"], [second!.session.id]: ["rp-1"] })
    expect(outcome(await service.get({ sessionId: first!.session.id }))).toBe("NotFound")
  })

  it("clients of a session already ended by endSession are not handed out again", async () => {
    const userId = userInShard(76, "after")
    const [s] = await sessionsWithClients(76, userId, 1, () => ["rp-once"])
    expect(success(await service.endSession({ sessionId: s!.session.id })).clientIds).toEqual(["rp-once"])
    expect(success(await service.endSessionsForUser({ userId }))).toEqual({ ended: [] })
  })

  it("raced by endSession: 25 concurrent calls hand out every (session, client) exactly once and end every session", async () => {
    const userId = userInShard(77, "race")
    const opened = await sessionsWithClients(77, userId, 5, (i) => [`rp-${i}-a`, `rp-${i}-b`])
    const expected = opened.flatMap((o, i) => [`${o.session.id} rp-${i}-a`, `${o.session.id} rp-${i}-b`]).sort()
    const single = opened.flatMap((o) => Array.from({ length: 4 }, () => service.endSession({ sessionId: o.session.id })))
    const sweeps = Array.from({ length: 5 }, () => service.endSessionsForUser({ userId }))
    const [singles, swept] = await Promise.all([Promise.all(single), Promise.all(sweeps)])
    const handedOut = [
      ...singles.map(success).flatMap((r, n) => r.clientIds.map((c) => `${opened[Math.floor(n / 4)]!.session.id} ${c}`)),
      ...swept.map(success).flatMap((r) => r.ended.flatMap((e) => e.clientIds.map((c) => `${e.sessionId} ${c}`)))
    ].sort()
    expect(handedOut).toEqual(expected)
    // No session is reported by two sweeps: its end (and its RPs) belong to one caller.
    const reported = swept.map(success).flatMap((r) => r.ended.map((e) => e.sessionId))
    expect(new Set(reported).size).toBe(reported.length)
    for (const o of opened) expect(outcome(await service.authenticate({ cookie: o.cookie }))).toBe("NotFound")
  })
})

describe("endSessionsForUser with blockNewSessions — a disabled user (issue 12)", () => {
  it("creates racing the sweep are swept or refused (none left); later creates refused until allowNewSessions; other users unaffected", async () => {
    const userId = userInShard(78, "disabled")
    const neighbour = userInShard(78, "neighbour")
    const stub = shardStub(78)
    const racing = Array.from({ length: 16 }, () => stub.create(loginFor(userId)))
    const sweep = service.endSessionsForUser({ userId, blockNewSessions: true })
    await Promise.all([...racing, sweep])
    expect(success(await service.listForUser({ userId })).sessions).toEqual([])
    expect(outcome(await stub.create(loginFor(userId)))).toBe("NotFound")
    expect(outcome(await stub.create(loginFor(neighbour)))).toBe("Success")
    success(await exports.SessionAdmin.allowNewSessions({ userId }))
    expect(outcome(await stub.create(loginFor(userId)))).toBe("Success")
  })

  it("the mark is memory kept BLOCK_GRACE_MS (longer than any sign-in in flight): after it, creates pass again", async () => {
    const userId = userInShard(78, "grace")
    const stub = shardStub(78)
    success(await service.endSessionsForUser({ userId, blockNewSessions: true }))
    expect(outcome(await stub.create(loginFor(userId)))).toBe("NotFound")
    await runInDurableObject(stub, (instance) => {
      const start = Date.now()
      instance.now = () => start + BLOCK_GRACE_MS
    })
    expect(outcome(await stub.create(loginFor(userId)))).toBe("Success")
    await runInDurableObject(stub, (instance) => {
      instance.now = () => Date.now()
    })
  })
})
