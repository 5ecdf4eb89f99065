/**
 * Back-Channel Logout 1.0 §2.1 on the session side: the provider remembers
 * which RPs a session signed into and hands them over, once, when it ends.
 * Shards 71–74 are this file's own.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test"
import { exports } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { loginFor, outcome, shardStub, success, userInShard } from "./session_fixtures.ts"

const HOUR = 3_600_000
const service = exports.SessionForEdge

describe("Logged-in clients — Back-Channel Logout 1.0 §2.1", () => {
  it("endSession ends the session and returns each recorded client once", async () => {
    const stub = shardStub(71)
    const { session, cookie } = success(await stub.create(loginFor(userInShard(71, "rp"))))
    for (const clientId of ["rp-b", "rp-a", "rp-b"]) {
      success(await service.recordClient({ sessionId: session.id, clientId, expiresAt: session.expiresAt }))
    }
    const ended = success(await service.endSession({ sessionId: session.id }))
    expect(ended).toEqual({ revoked: true, clientIds: ["rp-a", "rp-b"], userId: session.userId })
    expect(outcome(await service.authenticate({ cookie }))).toBe("NotFound")
    expect(success(await service.endSession({ sessionId: session.id }))).toEqual({ revoked: false, clientIds: [] })
  })

  it("a session nobody signed into ends with no clients; a malformed id is NotFound", async () => {
    const { session } = success(await shardStub(72).create(loginFor(userInShard(72, "none"))))
    expect(success(await service.endSession({ sessionId: session.id }))).toEqual({ revoked: true, clientIds: [], userId: session.userId })
    expect(outcome(await service.endSession({ sessionId: "not-a-session" }))).toBe("NotFound")
    expect(outcome(await service.recordClient({ sessionId: "nope", clientId: "rp", expiresAt: Date.now() + HOUR }))).toBe("NotFound")
  })

  it("a client cannot be recorded for a session that was just ended", async () => {
    const { session } = success(await shardStub(72).create(loginFor(userInShard(72, "late"))))
    success(await service.endSession({ sessionId: session.id }))
    expect(outcome(await service.recordClient({ sessionId: session.id, clientId: "rp", expiresAt: session.expiresAt }))).toBe("NotFound")
  })

  it("20 concurrent endSession calls: exactly one ends the session and gets the clients", async () => {
    const { session } = success(await shardStub(73).create(loginFor(userInShard(73, "race"))))
    success(await service.recordClient({ sessionId: session.id, clientId: "rp-race", expiresAt: session.expiresAt }))
    const results = await Promise.all(Array.from({ length: 20 }, () => service.endSession({ sessionId: session.id })))
    const values = results.map(success)
    expect(values.filter((v) => v.revoked)).toHaveLength(1)
    expect(values.flatMap((v) => v.clientIds)).toEqual(["rp-race"])
  })

  it("records outlive eviction (DO SQLite) and expired ones are dropped by the shard's purge alarm", async () => {
    const stub = shardStub(74)
    const { session } = success(await stub.create(loginFor(userInShard(74, "evict"))))
    const now = Date.now()
    await runInDurableObject(stub, (instance) => {
      for (let i = 0; i < 105; i++) instance.loggedInClients.record(`s74_expired${String(i).padStart(15, "0")}`, "rp", now - 1)
      expect(instance.loggedInClients.count()).toBe(105)
    })
    success(await service.recordClient({ sessionId: session.id, clientId: "rp-kept", expiresAt: session.expiresAt }))
    await evictDurableObject(stub)
    await runInDurableObject(stub, async (instance) => {
      expect(instance.loggedInClients.count()).toBe(105 + 1)
      await instance.alarm()
      // The alarm dropped every expired row and kept the live session's.
      expect(instance.loggedInClients.count()).toBe(1)
      expect(instance.loggedInClients.peek(session.id)).toEqual(["rp-kept"])
    })
    expect(success(await service.endSession({ sessionId: session.id })).clientIds).toEqual(["rp-kept"])
  })

  it("create with recordClientId records the RP in the same call (clientRecorded); without it nothing is recorded", async () => {
    const stub = shardStub(72)
    const withClient = success(await service.create({ ...loginFor(userInShard(72, "rc")), recordClientId: "rp-created" }))
    expect(withClient.clientRecorded).toBe(true)
    const plain = success(await stub.create(loginFor(userInShard(72, "rc-plain"))))
    expect(plain.clientRecorded).toBeUndefined()
    expect(success(await service.endSession({ sessionId: withClient.session.id })).clientIds).toEqual(["rp-created"])
    expect(success(await service.endSession({ sessionId: plain.session.id })).clientIds).toEqual([])
  })

  it("authenticateForClient: the cookie's session, recorded for the RP in the same call; another session's cookie records nothing", async () => {
    const stub = shardStub(71)
    const { session, cookie } = success(await stub.create(loginFor(userInShard(71, "afc"))))
    const other = success(await stub.create(loginFor(userInShard(71, "afc-other"))))
    expect(outcome(await service.authenticateForClient({ cookie: other.cookie, sessionId: session.id, clientId: "rp-wrong" }))).toBe("NotFound")
    expect(outcome(await service.authenticateForClient({ cookie: cookie.slice(0, -2) + "xx", sessionId: session.id, clientId: "rp-forged" }))).toBe("NotFound")
    expect(success(await service.authenticateForClient({ cookie, sessionId: session.id, clientId: "rp-afc" }))).toEqual(session)
    expect(success(await service.endSession({ sessionId: session.id })).clientIds).toEqual(["rp-afc"])
    expect(outcome(await service.authenticateForClient({ cookie, sessionId: session.id, clientId: "rp-late" }))).toBe("NotFound")
  })
})
