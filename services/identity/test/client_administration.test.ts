import { AlreadyExists, NotFound, OAuthError, VersionMismatch } from "@authrim/contracts"
import { describe, expect, it } from "vitest"
import { createClient, deleteClient, getClientRecord, listClients, rotateClientSecret, updateClient } from "../src/clients/client_administration.ts"
import { authenticateClient, getClient } from "../src/clients/clients.ts"
import { invalidateClient } from "../src/clients/client_cache.ts"
import { env } from "cloudflare:test"
import { makeHarness, unique } from "./identity_harness.ts"

const ADMIN = "admin-7"
const settings = { clientName: "Admin RP", redirectUris: ["https://rp.example/cb"], tokenEndpointAuthMethod: "client_secret_basic" as const }

describe("Client administration (issue 12 §1)", () => {
  it("creates with a generated secret answered once, version 1; a taken id is AlreadyExists", async () => {
    const h = makeHarness()
    const clientId = unique("adm")
    const { client, clientSecret } = await h.run(createClient({ client: { clientId, ...settings, logoUri: "https://rp.example/logo.png" }, actorId: ADMIN }))
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(client).toMatchObject({ clientId, version: 1, hasSecret: true, logoUri: "https://rp.example/logo.png", previousSecretExpiresAt: null })
    expect(await h.run(authenticateClient({ clientId, method: "client_secret_basic", clientSecret }))).toMatchObject({ clientId })
    expect(await h.fail(createClient({ client: { clientId, ...settings }, actorId: ADMIN }))).toBeInstanceOf(AlreadyExists)
    expect(h.audit.events().map((e) => [e.type, e.actor])).toEqual([["client.created", { kind: "admin", id: ADMIN }]])
  })

  it("an id looked up while unknown (cached as absent) is found right after its creation", async () => {
    const h = makeHarness()
    const clientId = unique("late")
    await h.fail(getClient(clientId))
    await h.run(createClient({ client: { clientId, ...settings }, actorId: ADMIN }))
    expect(await h.run(getClient(clientId))).toMatchObject({ clientId })
  })

  it("updates at the expected version, keeps the secret, and the next read sees the change", async () => {
    const h = makeHarness()
    const { client, clientSecret } = await h.run(createClient({ client: { ...settings }, actorId: ADMIN }))
    await h.run(getClient(client.clientId)) // warm the caches
    const { client: updated, clientSecret: none } = await h.run(updateClient({
      clientId: client.clientId, expectedVersion: 1, changes: { redirectUris: ["https://rp.example/new"] }, actorId: ADMIN
    }))
    expect(none).toBeNull()
    expect(updated).toMatchObject({ version: 2, redirectUris: ["https://rp.example/new"], hasSecret: true })
    expect((await h.run(getClient(client.clientId))).redirectUris).toEqual(["https://rp.example/new"])
    expect(await h.run(authenticateClient({ clientId: client.clientId, method: "client_secret_basic", clientSecret }))).toBeTruthy()
    expect(await h.fail(updateClient({ clientId: client.clientId, expectedVersion: 1, changes: { clientName: "x" }, actorId: ADMIN })))
      .toEqual(new VersionMismatch({ what: "client", currentVersion: 2 }))
    const bad = await h.fail(updateClient({ clientId: client.clientId, expectedVersion: 2, changes: { redirectUris: ["not a uri"] }, actorId: ADMIN }))
    expect(bad).toBeInstanceOf(OAuthError)
    expect((await h.run(getClientRecord({ clientId: client.clientId }))).version).toBe(2)
  })

  it("rotation: the old secret authenticates during the grace period only, the new one at once", async () => {
    const h = makeHarness()
    const { client, clientSecret: first } = await h.run(createClient({ client: { ...settings }, actorId: ADMIN }))
    const { client: rotated, clientSecret: second } = await h.run(rotateClientSecret({ clientId: client.clientId, expectedVersion: 1, gracePeriodSeconds: 3600, actorId: ADMIN }))
    expect(second).not.toEqual(first)
    expect(rotated.previousSecretExpiresAt).toBeGreaterThanOrEqual(Date.now() + 3590_000)
    const auth = (secret: string | null) => authenticateClient({ clientId: client.clientId, method: "client_secret_basic", clientSecret: secret })
    expect(await h.run(auth(first))).toBeTruthy()
    expect(await h.run(auth(second))).toBeTruthy()
    // The grace period ends (the row as it would be an hour later; the caches dropped as any write does).
    await env.DB.prepare("UPDATE oauth_clients SET previous_secret_expires_at = ? WHERE client_id = ?").bind(Date.now() - 1, client.clientId).run()
    await h.run(invalidateClient(client.clientId))
    expect(await h.fail(auth(first))).toBeInstanceOf(OAuthError)
    expect(await h.run(auth(second))).toBeTruthy()
    const { clientSecret: third } = await h.run(rotateClientSecret({ clientId: client.clientId, expectedVersion: 2, gracePeriodSeconds: 0, actorId: ADMIN }))
    expect(await h.fail(auth(second))).toBeInstanceOf(OAuthError)
    expect(await h.run(auth(third))).toBeTruthy()
    expect(h.audit.events().map((e) => e.type)).toEqual(["client.created", "client.secret_rotated", "client.secret_rotated"])
  })

  it("a public client has no secret to rotate; delete is versioned and the next read is NotFound", async () => {
    const h = makeHarness()
    const { client, clientSecret } = await h.run(createClient({ client: { ...settings, tokenEndpointAuthMethod: "none" }, actorId: ADMIN }))
    expect(clientSecret).toBeNull()
    expect(await h.fail(rotateClientSecret({ clientId: client.clientId, expectedVersion: 1, gracePeriodSeconds: 0, actorId: ADMIN }))).toBeInstanceOf(OAuthError)
    await h.run(getClient(client.clientId))
    expect(await h.fail(deleteClient({ clientId: client.clientId, expectedVersion: 9, actorId: ADMIN }))).toBeInstanceOf(VersionMismatch)
    await h.run(deleteClient({ clientId: client.clientId, expectedVersion: 1, actorId: ADMIN }))
    expect(await h.fail(getClient(client.clientId))).toBeInstanceOf(NotFound)
    expect(await h.fail(deleteClient({ clientId: client.clientId, expectedVersion: 1, actorId: ADMIN }))).toBeInstanceOf(NotFound)
  })

  it("lists by id with a cursor", async () => {
    const h = makeHarness()
    const prefix = unique("page")
    for (const n of [1, 2, 3]) await h.run(createClient({ client: { clientId: `${prefix}-${n}`, ...settings }, actorId: ADMIN }))
    const first = await h.run(listClients({ cursor: `${prefix}-`, limit: 2 }))
    expect(first.clients.map((c) => c.clientId)).toEqual([`${prefix}-1`, `${prefix}-2`])
    const second = await h.run(listClients({ cursor: first.nextCursor!, limit: 1 }))
    expect(second.clients.map((c) => c.clientId)).toEqual([`${prefix}-3`])
  })
})
