import { runInDurableObject } from "cloudflare:test"
import { exports } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { d1Row, loginFor, outcome, setClock, shardStub, success, userInShard } from "./session_fixtures.ts"

// This file's users live in shards 80–81, so no other test file touches these DOs.
const SHARD = 80
const service = exports.SessionForEdge
const LATER = 1_700_000_600_000

const reauth = (session: { id: string; userId: string }, overrides: Partial<{ authTime: number; userId: string }> = {}) => ({
  sessionId: session.id,
  userId: session.userId,
  authTime: LATER,
  amr: ["hwk", "user", "mfa"],
  acr: "phrh",
  ...overrides
})

describe("SessionStore — recordReauthentication (step-up, issue 9 §3)", () => {
  it("renews authTime/amr/acr of the same session: same id and cookie, expiry and creation kept, D1 row updated", async () => {
    await setClock(SHARD, 1_700_000_000_000)
    const { session, cookie } = success(await service.create(loginFor(userInShard(SHARD, "renew"))))
    const renewed = success(await service.recordReauthentication(reauth(session)))
    expect(renewed).toEqual({ ...session, authTime: LATER, amr: ["hwk", "user", "mfa"], acr: "phrh" })
    expect(success(await service.authenticate({ cookie }))).toEqual(renewed)
    expect(JSON.parse((await d1Row(session.id))!.data)).toMatchObject({ authTime: LATER, amr: ["hwk", "user", "mfa"], acr: "phrh" })
  })

  it("works for a session only in D1 (evicted from memory), and the next load sees the renewal", async () => {
    await setClock(SHARD, 1_700_000_000_000)
    const { session, cookie } = success(await service.create(loginFor(userInShard(SHARD, "cold"))))
    await runInDurableObject(shardStub(SHARD), (instance) => {
      instance.hot.delete(session.id)
    })
    success(await service.recordReauthentication(reauth(session)))
    await runInDurableObject(shardStub(SHARD), (instance) => {
      instance.hot.delete(session.id)
    })
    expect(success(await service.authenticate({ cookie })).authTime).toBe(LATER)
  })

  it("NotFound for another user's session, a revoked or expired one, and malformed ids", async () => {
    await setClock(SHARD, 1_700_000_000_000)
    const { session } = success(await service.create(loginFor(userInShard(SHARD, "owner"), { ttlSeconds: 60 })))
    expect(outcome(await service.recordReauthentication(reauth(session, { userId: "someone-else" })))).toBe("NotFound")
    expect(success(await service.get({ sessionId: session.id })).authTime).toBe(1_700_000_000_000)

    const revoked = success(await service.create(loginFor(userInShard(SHARD, "revoked")))).session
    success(await service.revoke({ sessionId: revoked.id }))
    expect(outcome(await service.recordReauthentication(reauth(revoked)))).toBe("NotFound")
    expect(await d1Row(revoked.id)).toBeNull()

    await setClock(SHARD, 1_700_000_000_000 + 61_000)
    expect(outcome(await service.recordReauthentication(reauth(session)))).toBe("NotFound")
    for (const sessionId of ["", "nope", `s80_${"A".repeat(22)}`]) {
      expect(outcome(await service.recordReauthentication(reauth({ id: sessionId, userId: session.userId })))).toBe("NotFound")
    }
  })

  it("RACE: 20 renewals racing a revoke never bring the session back (memory or D1)", async () => {
    await setClock(SHARD + 1, 1_700_000_000_000)
    const { session, cookie } = success(await service.create(loginFor(userInShard(SHARD + 1, "race"))))
    await runInDurableObject(shardStub(SHARD + 1), (instance) => {
      instance.hot.delete(session.id)
    })
    const renewals = Array.from({ length: 20 }, () => service.recordReauthentication(reauth(session)))
    const revoke = service.revoke({ sessionId: session.id })
    await Promise.all([...renewals, revoke])
    expect(outcome(await service.authenticate({ cookie }))).toBe("NotFound")
    expect(await d1Row(session.id)).toBeNull()
  })
})
