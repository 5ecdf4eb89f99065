import { runInDurableObject } from "cloudflare:test"
import { env, exports } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { shardOfSessionId } from "../src/session_id.ts"
import { sessionShardFor } from "../src/session_shard.ts"
import { loginFor, outcome, shardStub, success } from "./session_fixtures.ts"

// Users here are random, so they may land in any shard; assertions never depend on a shard's other contents.
const service = exports.SessionForEdge

describe("SessionForEdge entrypoint — routing to shards", () => {
  it("creates in the user's shard and finds the session by cookie and by id", async () => {
    const userId = `svc-${crypto.randomUUID()}`
    const { session, cookie } = success(await service.create(loginFor(userId)))
    const shard = sessionShardFor(userId)
    expect(shardOfSessionId(session.id)).toBe(shard)
    await runInDurableObject(shardStub(shard), (instance) => expect(instance.hot.has(session.id)).toBe(true))
    expect(success(await service.authenticate({ cookie }))).toEqual(session)
    expect(success(await service.get({ sessionId: session.id }))).toEqual(session)
    expect(success(await service.listForUser({ userId })).sessions).toEqual([session])
  })

  it("revokes through the entrypoint", async () => {
    const { session, cookie } = success(await service.create(loginFor(`svc-${crypto.randomUUID()}`)))
    expect(success(await service.revoke({ sessionId: session.id }))).toEqual({ revoked: true, userId: session.userId })
    expect(outcome(await service.authenticate({ cookie }))).toBe("NotFound")
    expect(success(await service.listForUser({ userId: session.userId })).sessions).toEqual([])
  })

  it("answers NotFound for malformed, forged or unknown cookies and ids — never a thrown error", async () => {
    const { session } = success(await service.create(loginFor(`svc-${crypto.randomUUID()}`)))
    const unknownId = `s42_${"Q".repeat(22)}`
    for (const cookie of ["", "x", "s99", `${session.id}.${"A".repeat(43)}`, `${unknownId}.${"A".repeat(43)}`, `${session.id}.%%%`]) {
      expect(outcome(await service.authenticate({ cookie }))).toBe("NotFound")
    }
    for (const sessionId of ["", "s1_x", unknownId, `${session.id}x`]) {
      expect(outcome(await service.get({ sessionId }))).toBe("NotFound")
    }
    expect(outcome(await service.revoke({ sessionId: "not-an-id" }))).toBe("NotFound")
    expect(success(await service.revoke({ sessionId: unknownId }))).toEqual({ revoked: false })
    expect(success(await service.listForUser({ userId: `nobody-${crypto.randomUUID()}` })).sessions).toEqual([])
  })

  it("counts live sessions for the console dashboard: started ones count, ended and expired ones do not", async () => {
    const before = success(await exports.SessionAdmin.countActiveSessions({})).active
    const started = await Promise.all([1, 2, 3].map(() => service.create(loginFor(`count-${crypto.randomUUID()}`))))
    expect(success(await exports.SessionAdmin.countActiveSessions({})).active).toBe(before + 3)
    success(await service.revoke({ sessionId: success(started[0]!).session.id }))
    // An expired row the alarm has not purged yet is not live.
    await env.DB.prepare("INSERT INTO sessions (id, user_id, expires_at, created_at, data) VALUES (?1, ?2, ?3, ?4, '{}')")
      .bind(`s01_${"E".repeat(22)}`, "expired-user", Date.now() - 1000, Date.now() - 60_000).run()
    const counted = success(await exports.SessionAdmin.countActiveSessions({}))
    expect(counted.active).toBe(before + 2)
    expect(counted.at).toBeGreaterThan(Date.now() - 60_000)
  })
})
