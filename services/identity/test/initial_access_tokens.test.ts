/**
 * Initial access tokens (RFC 7591 §3) at rest and in use: stored by SHA-256
 * only, expiring, revocable at once, optionally single use — and single use
 * holds under a race (20 registrations, one token → exactly one client).
 */
import { env } from "cloudflare:test"
import { sha256Hex } from "@authrim/platform"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { getClient } from "../src/clients/clients.ts"
import { registerClient } from "../src/clients/client_registration_create.ts"
import { createInitialAccessToken, listInitialAccessTokens, revokeInitialAccessToken } from "../src/clients/initial_access_tokens.ts"
import { makeRegistrationHarness } from "./registration_harness.ts"

const webClient = { redirect_uris: ["https://rp.example/cb"], client_name: "Registered RP" }

describe("Initial access tokens — RFC 7591 §3", () => {
  it("answers the token once and stores only its SHA-256 (KV key and value never hold it)", async () => {
    const h = makeRegistrationHarness()
    const { token, info } = await h.run(createInitialAccessToken({ adminUserId: "admin-1", description: "partner onboarding" }))
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(info.id).toBe(await Effect.runPromise(sha256Hex(token)))
    const stored = await env.INITIAL_ACCESS_TOKENS.get(`iat:${info.id}`)
    expect(stored).not.toBeNull()
    expect(stored).not.toContain(token)
    expect(JSON.stringify((await env.INITIAL_ACCESS_TOKENS.list({ prefix: "iat:" })).keys)).not.toContain(token)
    expect(info.expiresAt - info.createdAt).toBe(24 * 3600 * 1000)
    const [event] = h.audit.events()
    expect(event).toMatchObject({ type: "admin.action", actor: { kind: "admin", id: "admin-1" }, details: { action: "initial_access_token.created" } })
    expect(JSON.stringify(event)).not.toContain(token)
  })

  it("refuses a life under 60 s or over 7 days", async () => {
    const h = makeRegistrationHarness()
    for (const expiresInSeconds of [59, 7 * 24 * 3600 + 1, 1.5, -1]) {
      expect(await h.fail(createInitialAccessToken({ adminUserId: null, expiresInSeconds }))).toMatchObject({ code: "invalid_request" })
    }
  })

  it("lists live tokens without the token, and not revoked ones; a revoked token registers nothing at once", async () => {
    const h = makeRegistrationHarness()
    const kept = await h.run(createInitialAccessToken({ adminUserId: "admin-1", description: "kept" }))
    const revoked = await h.run(createInitialAccessToken({ adminUserId: "admin-1", description: "revoked" }))
    const listed = (await h.run(listInitialAccessTokens({ adminUserId: "admin-1" }))).tokens.map((t) => t.id)
    expect(listed).toEqual(expect.arrayContaining([kept.info.id, revoked.info.id]))
    expect(JSON.stringify(listed)).not.toContain(kept.token)
    await h.run(revokeInitialAccessToken({ adminUserId: "admin-2", id: revoked.info.id }))
    expect((await h.run(listInitialAccessTokens({ adminUserId: null }))).tokens.map((t) => t.id)).not.toContain(revoked.info.id)
    expect(await h.fail(registerClient({ metadata: webClient, initialAccessToken: revoked.token }))).toMatchObject({ code: "invalid_token" })
    expect(h.audit.events().at(-1)).toMatchObject({ type: "admin.action", actor: { kind: "admin", id: "admin-2" }, details: { action: "initial_access_token.revoked" } })
    expect(await h.fail(revokeInitialAccessToken({ adminUserId: null, id: "f".repeat(64) }))).toMatchObject({ _tag: "NotFound" })
  })

  it("a multi-use token registers several clients; an expired one none", async () => {
    const h = makeRegistrationHarness()
    const { token } = await h.run(createInitialAccessToken({ adminUserId: null, expiresInSeconds: 3600 }))
    const first = await h.run(registerClient({ metadata: webClient, initialAccessToken: token }))
    const second = await h.run(registerClient({ metadata: webClient, initialAccessToken: token }))
    expect(first.clientId).not.toBe(second.clientId)
    h.clock.advance(3600 * 1000)
    expect(await h.fail(registerClient({ metadata: webClient, initialAccessToken: token }))).toMatchObject({ code: "invalid_token" })
  })

  it("an unknown or malformed token is invalid_token", async () => {
    const h = makeRegistrationHarness()
    for (const token of ["", "short", "x".repeat(43), "y".repeat(500)]) {
      expect(await h.fail(registerClient({ metadata: webClient, initialAccessToken: token }))).toMatchObject({ code: "invalid_token" })
    }
  })

  it("bad metadata does not spend a single-use token", async () => {
    const h = makeRegistrationHarness()
    const { token } = await h.run(createInitialAccessToken({ adminUserId: null, singleUse: true }))
    expect(await h.fail(registerClient({ metadata: { redirect_uris: ["http://evil.example/cb"] }, initialAccessToken: token }))).toMatchObject({ code: "invalid_redirect_uri" })
    await h.run(registerClient({ metadata: webClient, initialAccessToken: token }))
    expect(await h.fail(registerClient({ metadata: webClient, initialAccessToken: token }))).toMatchObject({ code: "invalid_token" })
  })

  it("keeps a registration within the token's policy; the policy scope is the default scope", async () => {
    const h = makeRegistrationHarness()
    const { token } = await h.run(createInitialAccessToken({
      adminUserId: null, policy: { scope: "openid email", grantTypes: ["authorization_code"], tokenEndpointAuthMethods: ["client_secret_basic", "none"] }
    }))
    const plain = await h.run(registerClient({ metadata: webClient, initialAccessToken: token }))
    expect(plain.metadata["scope"]).toBe("openid email")
    for (const metadata of [
      { ...webClient, scope: "openid profile" },
      { ...webClient, grant_types: ["authorization_code", "refresh_token"] },
      { ...webClient, token_endpoint_auth_method: "client_secret_post" }
    ]) {
      expect(await h.fail(registerClient({ metadata, initialAccessToken: token }))).toMatchObject({ code: "invalid_client_metadata" })
    }
  })
})

describe("Single-use initial access token — concurrency", () => {
  it("20 concurrent registrations with one single-use token create exactly one client", async () => {
    const h = makeRegistrationHarness()
    const { token, info } = await h.run(createInitialAccessToken({ adminUserId: null, singleUse: true }))
    const results = await Promise.all(Array.from({ length: 20 }, () => h.settle(registerClient({ metadata: webClient, initialAccessToken: token }))))
    const winners = results.filter((r) => r._tag === "Success")
    expect(winners).toHaveLength(1)
    for (const loser of results.filter((r) => r._tag === "Failure")) expect(loser.failure).toMatchObject({ code: "invalid_token" })
    const rows = await env.DB.prepare("SELECT client_id FROM client_registrations WHERE initial_access_token_id = ?").bind(info.id).all<{ client_id: string }>()
    expect(rows.results).toHaveLength(1)
    const winner = winners[0]!
    if (winner._tag !== "Success") throw new Error("unreachable")
    expect(rows.results[0]!.client_id).toBe(winner.success.clientId)
    expect((await h.run(getClient(winner.success.clientId))).clientName).toBe("Registered RP")
    const mark = await env.DB.prepare("SELECT state, client_id FROM initial_access_token_marks WHERE token_id = ?").bind(info.id).first()
    expect(mark).toEqual({ state: "used", client_id: winner.success.clientId })
  })
})
