/**
 * Issue 12 §5: a session opened without an explicit `ttlSeconds` lives the
 * settings' `sessionLifetimeSeconds` (KV SETTINGS, read by this worker through
 * its isolate's copy); an explicit `ttlSeconds` still wins.
 */
import { SETTINGS_KV_KEY } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { exports } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { loginFor, success } from "./session_fixtures.ts"

const service = exports.SessionForEdge

describe("Session lifetime from SETTINGS", () => {
  it("sessionLifetimeSeconds sets the expiry of the next session; ttlSeconds overrides it", async () => {
    // Written before this isolate first reads the settings (the first call below), so no cached copy is in the way.
    await env.SETTINGS!.put(SETTINGS_KV_KEY, JSON.stringify({ version: 1, updatedAt: 1, updatedBy: "admin", settings: { sessionLifetimeSeconds: 1_800 } }))
    const { session } = success(await service.create(loginFor(`life-${crypto.randomUUID()}`)))
    expect(session.expiresAt - session.createdAt).toBe(1_800_000)
    const { session: explicit } = success(await service.create({ ...loginFor(`life-${crypto.randomUUID()}`), ttlSeconds: 60 }))
    expect(explicit.expiresAt - explicit.createdAt).toBe(60_000)
  })
})
