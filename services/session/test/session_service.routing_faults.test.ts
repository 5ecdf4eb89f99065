/**
 * The entrypoint's routing guarantees, seen through a SessionStore namespace that counts
 * stub lookups and whose every stub call rejects (a lost connection): a malformed id or
 * cookie is `NotFound` without touching any shard, and a transport fault is `Unavailable`.
 */
import { createExecutionContext, env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import type { SessionEnv } from "../src/env.ts"
import { SessionForEdge } from "../src/session_service.ts"
import { loginFor, outcome } from "./session_fixtures.ts"

/** A namespace whose stubs fail every call; `lookups` counts `get` (one per shard call). */
const unreachableShards = () => {
  const counter = { lookups: 0 }
  const namespace = {
    idFromName: (name: string) => env.SESSION_STORE.idFromName(name),
    get: () => {
      counter.lookups++
      return new Proxy({}, { get: () => () => Promise.reject(new Error("network connection lost")) })
    }
  } as unknown as SessionEnv["SESSION_STORE"]
  return { counter, service: new SessionForEdge(createExecutionContext(), { ...env, SESSION_STORE: namespace }) }
}

describe("SessionForEdge entrypoint — routing without a shard, and shard faults", () => {
  it("answers NotFound for malformed ids and cookies without any Durable Object call", async () => {
    const { counter, service } = unreachableShards()
    const id = `s07_${"A".repeat(22)}`
    expect(outcome(await service.get({ sessionId: "not-an-id" }))).toBe("NotFound")
    expect(outcome(await service.revoke({ sessionId: "s1_x" }))).toBe("NotFound")
    expect(outcome(await service.authenticate({ cookie: "x" }))).toBe("NotFound")
    expect(outcome(await service.endSession({ sessionId: "" }))).toBe("NotFound")
    expect(outcome(await service.recordClient({ sessionId: "s99_x", clientId: "rp", expiresAt: Date.now() + 60_000 }))).toBe("NotFound")
    // The cookie must carry the session id it claims to be for.
    expect(outcome(await service.authenticateForClient({ cookie: `s08_${"A".repeat(22)}.${"B".repeat(43)}`, sessionId: id, clientId: "rp" })))
      .toBe("NotFound")
    expect(counter.lookups).toBe(0)
  })

  it("turns a shard's transport fault into Unavailable, for by-user and by-id calls", async () => {
    const { counter, service } = unreachableShards()
    expect(outcome(await service.create(loginFor(`fault-${crypto.randomUUID()}`)))).toBe("Unavailable")
    expect(outcome(await service.get({ sessionId: `s07_${"A".repeat(22)}` }))).toBe("Unavailable")
    expect(outcome(await service.endSessionsForUser({ userId: "someone" }))).toBe("Unavailable")
    expect(counter.lookups).toBe(3)
  })
})
