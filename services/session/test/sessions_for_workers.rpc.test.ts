/**
 * SessionsForWorkers (issue 13 §1): another Worker ends every session of a
 * user. Through the RPC envelope against the real shards (the sessions are
 * gone for the session service too; a repeat ends nothing; ugly input never
 * reaches a shard), and the program with the test audit trail (one
 * `session.ended` per session, naming the calling actor and its reason).
 */
import { AuditTrail } from "@authrim/audit-trail"
import { collectingAuditTrail } from "@authrim/audit-trail/testing"
import { makeClient, RpcFailure, SessionsForEdgeContract, SessionsForWorkersContract } from "@authrim/contracts"
import { env, exports } from "cloudflare:workers"
import { Cause, Effect, Exit, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { endSessionsForWorker } from "../src/end_sessions_for_worker.ts"
import type { SessionEnv } from "../src/env.ts"
import { sessionShardsLayer, type SessionShards } from "../src/session_shards.ts"
import { loginFor } from "./session_fixtures.ts"

const sessions = makeClient("session", SessionsForEdgeContract, exports.SessionForEdge)
const forWorkers = makeClient("session", SessionsForWorkersContract, exports.SessionsForWorkers)
const call = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
const newUser = () => `worker-end-${crypto.randomUUID()}`
const actor = { kind: "system" as const, id: "fraud-detector" }

describe("endUserSessions through the entrypoint", () => {
  it("ends every session of the user and only theirs; a repeat ends nothing", async () => {
    const userId = newUser()
    const bystander = newUser()
    const a = await call(sessions.create(loginFor(userId)))
    const b = await call(sessions.create(loginFor(userId)))
    await call(sessions.create(loginFor(bystander)))
    const { ended } = await call(forWorkers.endUserSessions({ userId, reason: "account locked by fraud check", actor }))
    expect([...ended].sort()).toEqual([a.session.id, b.session.id].sort())
    expect((await call(sessions.listForUser({ userId }))).sessions).toEqual([])
    expect((await call(sessions.listForUser({ userId: bystander }))).sessions).toHaveLength(1)
    expect(await call(forWorkers.endUserSessions({ userId, reason: "again", actor }))).toEqual({ ended: [] })
  })

  it("a user without sessions, an empty or strange user id: nothing ended, no error", async () => {
    for (const userId of ["nobody", "", "../../etc", "😀".repeat(500)]) {
      expect(await call(forWorkers.endUserSessions({ userId, reason: "cleanup", actor }))).toEqual({ ended: [] })
    }
  })

  it("an empty or over-long reason, or an unknown actor kind, is refused before the call (RpcFailure naming the input)", async () => {
    const refused = async (input: unknown) => {
      const exit = await Effect.runPromiseExit(forWorkers.endUserSessions(input as never))
      if (Exit.isSuccess(exit)) throw new Error("expected a refusal")
      return exit.cause.reasons.find(Cause.isFailReason)?.error
    }
    for (const input of [
      { userId: "u", reason: "", actor },
      { userId: "u", reason: "x".repeat(201), actor },
      { userId: "u", reason: "ok", actor: { kind: "robot", id: "r" } }
    ]) {
      const error = await refused(input)
      expect(error).toBeInstanceOf(RpcFailure)
      expect((error as RpcFailure).reason).toMatch(/^input:/)
    }
  })
})

describe("endUserSessions audit events", () => {
  const audit = collectingAuditTrail()
  const layer = Layer.merge(sessionShardsLayer(env as SessionEnv), audit.layer)
  const run = <A, E>(effect: Effect.Effect<A, E, SessionShards | AuditTrail>) => Effect.runPromise(Effect.provide(effect, layer))

  it("records one session.ended per ended session in one message, naming the actor and the reason", async () => {
    const userId = newUser()
    const a = await call(sessions.create(loginFor(userId)))
    const b = await call(sessions.create(loginFor(userId)))
    audit.clear()
    await run(endSessionsForWorker({ userId, reason: "off-boarded by HR", actor }))
    expect(audit.batches).toHaveLength(1)
    expect(audit.events().map((e) => e.subject?.id).sort()).toEqual([a.session.id, b.session.id].sort())
    for (const event of audit.events()) {
      expect(event).toMatchObject({ type: "session.ended", actor, userId, details: { reason: "ended_by_worker", worker_reason: "off-boarded by HR" } })
    }
    audit.clear()
    await run(endSessionsForWorker({ userId, reason: "again", actor }))
    expect(audit.events()).toEqual([])
  })
})
