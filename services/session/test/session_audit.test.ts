/**
 * The session service's audit events (issue 11 §2): the calls that start or
 * end sessions record them through `AuditTrail` — one `record` (one queue
 * message) per call — against the real shards; the trail is the test one that
 * keeps what it is given. A repeat that ends nothing records nothing.
 */
import { AuditTrail } from "@authrim/audit-trail"
import { collectingAuditTrail } from "@authrim/audit-trail/testing"
import { runInDurableObject } from "cloudflare:test"
import { env } from "cloudflare:workers"
import { Effect, Layer } from "effect"
import { beforeEach, describe, expect, it } from "vitest"
import type { SessionEnv } from "../src/env.ts"
import { endSession, endUserSessions, revokeSession, revokeUserSessions, startSession } from "../src/session_audit.ts"
import { sessionShardsLayer, type SessionShards } from "../src/session_shards.ts"
import { sessionShardFor } from "../src/session_shard.ts"
import { loginFor, shardStub } from "./session_fixtures.ts"

const audit = collectingAuditTrail()
const layer = Layer.merge(sessionShardsLayer(env as unknown as SessionEnv), audit.layer)
const run = <A, E>(effect: Effect.Effect<A, E, SessionShards | AuditTrail>) => Effect.runPromise(Effect.provide(effect, layer))
const newUser = () => `audit-${crypto.randomUUID()}`

beforeEach(() => audit.clear())

describe("session audit events", () => {
  it("create: session.started by the user, with amr/acr/device, naming the session and never the cookie", async () => {
    const userId = newUser()
    const { session, cookie } = await run(startSession(loginFor(userId, { acr: "urn:authrim:acr:password" })))
    expect(audit.batches).toHaveLength(1)
    expect(audit.events()).toEqual([expect.objectContaining({
      type: "session.started", outcome: "success", actor: { kind: "user", id: userId }, userId,
      subject: { kind: "session", id: session.id }, ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64)",
      details: { amr: "pwd", acr: "urn:authrim:acr:password", device: "Firefox on Linux", expires_at: session.expiresAt }
    })])
    expect(JSON.stringify(audit.events())).not.toContain(cookie)
  })

  it("revoke: session.ended (reason revoked) once, naming the user; the idempotent repeat records nothing", async () => {
    const userId = newUser()
    const { session } = await run(startSession(loginFor(userId)))
    audit.clear()
    expect(await run(revokeSession({ sessionId: session.id }))).toEqual({ revoked: true, userId })
    expect(await run(revokeSession({ sessionId: session.id }))).toEqual({ revoked: false })
    expect(audit.events()).toEqual([expect.objectContaining({
      type: "session.ended", userId, actor: { kind: "user", id: userId },
      subject: { kind: "session", id: session.id }, details: { reason: "revoked" }
    })])
  })

  it("revoke of a session only in D1 (evicted from the hot set): the user comes from the deleted row", async () => {
    const userId = newUser()
    const { session } = await run(startSession(loginFor(userId)))
    await runInDurableObject(shardStub(sessionShardFor(userId)), (instance) => {
      expect(instance.hot.delete(session.id)).toBe(true)
    })
    audit.clear()
    expect(await run(revokeSession({ sessionId: session.id }))).toEqual({ revoked: true, userId })
    expect(audit.events()).toEqual([expect.objectContaining({ type: "session.ended", userId })])
  })

  it("revokeForUser: one message with a session.ended per session ended (reason revoked_for_user), the kept one spared", async () => {
    const userId = newUser()
    const sessions = await Promise.all([1, 2, 3].map(() => run(startSession(loginFor(userId)))))
    audit.clear()
    const kept = sessions[0]!.session.id
    const { revoked } = await run(revokeUserSessions({ userId, keepSessionId: kept }))
    expect(revoked).toHaveLength(2)
    expect(audit.batches).toHaveLength(1)
    expect(audit.events().map((e) => [e.type, e.subject?.id, e.userId, e.details["reason"]]).sort()).toEqual(
      revoked.map((id) => ["session.ended", id, userId, "revoked_for_user"]).sort()
    )
  })

  it("endSession (logout): logout and session.ended (reason logout) in one message, naming the user; a repeat records nothing", async () => {
    const userId = newUser()
    const { session } = await run(startSession(loginFor(userId)))
    audit.clear()
    await run(endSession({ sessionId: session.id }))
    await run(endSession({ sessionId: session.id }))
    expect(audit.batches).toHaveLength(1)
    expect(audit.events()).toEqual([
      expect.objectContaining({ type: "logout", userId, subject: { kind: "session", id: session.id }, details: { clients: 0 } }),
      expect.objectContaining({ type: "session.ended", userId, subject: { kind: "session", id: session.id }, details: { reason: "logout" } })
    ])
  })

  it("endSessionsForUser: session.ended (reason ended_for_user) per session, one message", async () => {
    const userId = newUser()
    await Promise.all([1, 2].map(() => run(startSession(loginFor(userId)))))
    audit.clear()
    const { ended } = await run(endUserSessions({ userId }))
    expect(ended).toHaveLength(2)
    expect(audit.batches).toHaveLength(1)
    expect(audit.events().every((e) => e.type === "session.ended" && e.userId === userId && e.details["reason"] === "ended_for_user")).toBe(true)
  })
})
