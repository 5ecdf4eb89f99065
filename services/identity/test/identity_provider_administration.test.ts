import { AlreadyExists, NotFound, UserAdminInvalidInput, VersionMismatch, type NewIdentityProvider } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import {
  createIdentityProvider, deleteIdentityProvider, getIdentityProvider, listIdentityProviders, setIdentityProviderEnabled, updateIdentityProvider
} from "../src/upstream/identity_provider_administration.ts"
import { listUpstreamProviders, loadEnabledProvider } from "../src/upstream/identity_providers.ts"
import { makeUpstreamHarness } from "./upstream_harness.ts"

const ADMIN = "admin-1"
const providerId = () => `idp-${crypto.randomUUID().slice(0, 8)}`
const oidc = (id: string): NewIdentityProvider => ({
  id, providerType: "oidc", name: "Example", issuer: "https://accounts.example.com/", clientId: "rp-1", clientSecret: "s3cret-value", scopes: ["openid", "email"]
})

describe("Identity providers — administration (issue 12 §1)", () => {
  it("creates, reads and lists without ever answering the secret; the stored secret is what the round trip uses", async () => {
    const h = makeUpstreamHarness()
    const id = providerId()
    const created = await h.run(createIdentityProvider({ provider: oidc(id), actorId: ADMIN }))
    expect(created).toMatchObject({ id, issuer: "https://accounts.example.com", hasClientSecret: true, enabled: true, version: 1 })
    expect(JSON.stringify(created)).not.toContain("s3cret-value")
    expect(JSON.stringify(await h.run(listIdentityProviders()))).not.toContain("s3cret-value")
    expect(await h.run(getIdentityProvider({ providerId: id }))).toEqual(created)
    expect((await h.run(loadEnabledProvider(id))).config.client_secret).toBe("s3cret-value")
    expect(await h.fail(createIdentityProvider({ provider: oidc(id), actorId: ADMIN }))).toBeInstanceOf(AlreadyExists)
    const audit = h.audit.events()
    expect(audit.map((e) => [e.type, e.actor, e.details["action"]])).toEqual([["admin.action", { kind: "admin", id: ADMIN }, "identity_provider.created"]])
    expect(JSON.stringify(audit)).not.toContain("s3cret-value")
  })

  it("validates: https issuer and endpoints, openid among an oidc provider's scopes, the oauth2 endpoints — naming the field", async () => {
    const h = makeUpstreamHarness()
    const field = async (provider: NewIdentityProvider) => (await h.fail(createIdentityProvider({ provider, actorId: ADMIN })) as UserAdminInvalidInput).field
    const id = providerId()
    expect(await field({ ...oidc(id), issuer: "http://accounts.example.com" })).toBe("issuer")
    expect(await field({ ...oidc(id), issuer: "https://user:pw@accounts.example.com" })).toBe("issuer")
    expect(await field({ ...oidc(id), issuer: "https://accounts.example.com/#x" })).toBe("issuer")
    expect(await field({ ...oidc(id), issuer: "not a url" })).toBe("issuer")
    expect(await field({ ...oidc(id), issuer: undefined })).toBe("issuer")
    expect(await field({ ...oidc(id), scopes: ["email"] })).toBe("scopes")
    expect(await field({ ...oidc(id), scopes: ["openid", "bad scope"] })).toBe("scopes.1")
    expect(await field({ ...oidc(id), name: " " })).toBe("name")
    expect(await field({ ...oidc(id), clientSecret: "a\u0000b" })).toBe("clientSecret")
    expect(await field({ ...oidc(id), tokenEndpoint: "https://accounts.example.com/token" })).toBe("tokenEndpoint")
    expect(await field({ id, providerType: "oauth2", name: "GH", clientId: "c", authorizationEndpoint: "https://gh.example/auth", tokenEndpoint: "https://gh.example/token" })).toBe("userinfoEndpoint")
    // http only on loopback (local development).
    expect((await h.run(createIdentityProvider({ provider: { ...oidc(id), issuer: "http://127.0.0.1:9999" }, actorId: ADMIN }))).issuer).toBe("http://127.0.0.1:9999")
  })

  it("updates at the expected version (absent stays, null clears the secret); of 10 concurrent writers one wins", async () => {
    const h = makeUpstreamHarness()
    const id = providerId()
    await h.run(createIdentityProvider({ provider: oidc(id), actorId: ADMIN }))
    const renamed = await h.run(updateIdentityProvider({ providerId: id, expectedVersion: 1, changes: { name: "Renamed" }, actorId: ADMIN }))
    expect(renamed).toMatchObject({ name: "Renamed", hasClientSecret: true, clientId: "rp-1", version: 2 })
    expect(await h.fail(updateIdentityProvider({ providerId: id, expectedVersion: 1, changes: { name: "x" }, actorId: ADMIN })))
      .toEqual(new VersionMismatch({ what: "identity provider", currentVersion: 2 }))
    expect((await h.fail(updateIdentityProvider({ providerId: id, expectedVersion: 2, changes: { issuer: null }, actorId: ADMIN })) as UserAdminInvalidInput).field).toBe("issuer")
    const cleared = await h.run(updateIdentityProvider({ providerId: id, expectedVersion: 2, changes: { clientSecret: null }, actorId: ADMIN }))
    expect(cleared).toMatchObject({ hasClientSecret: false, version: 3 })
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
      h.run(updateIdentityProvider({ providerId: id, expectedVersion: 3, changes: { name: `writer ${i}` }, actorId: ADMIN }))))
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1)
    expect((await h.run(getIdentityProvider({ providerId: id }))).version).toBe(4)
    expect(await h.fail(updateIdentityProvider({ providerId: "missing-x", expectedVersion: 1, changes: {}, actorId: ADMIN }))).toBeInstanceOf(NotFound)
  })

  it("disable hides it from the login page at once (this isolate); enable is idempotent; delete takes the user links along", async () => {
    const h = makeUpstreamHarness()
    const id = providerId()
    await h.run(createIdentityProvider({ provider: oidc(id), actorId: ADMIN }))
    expect((await h.run(listUpstreamProviders)).providers.map((p) => p.id)).toContain(id)
    expect((await h.run(setIdentityProviderEnabled({ providerId: id, enabled: false, actorId: ADMIN }))).enabled).toBe(false)
    expect((await h.run(listUpstreamProviders)).providers.map((p) => p.id)).not.toContain(id)
    expect(await h.fail(loadEnabledProvider(id))).toBeInstanceOf(NotFound)
    const enabled = await h.run(setIdentityProviderEnabled({ providerId: id, enabled: true, actorId: ADMIN }))
    expect(enabled).toMatchObject({ enabled: true, version: 3 })
    expect((await h.run(setIdentityProviderEnabled({ providerId: id, enabled: true, actorId: ADMIN }))).version).toBe(3)
    expect(await h.fail(setIdentityProviderEnabled({ providerId: "missing-y", enabled: true, actorId: ADMIN }))).toBeInstanceOf(NotFound)

    const userId = crypto.randomUUID()
    await env.DB.prepare("INSERT INTO users (id, email, email_verified, created_at, updated_at) VALUES (?, ?, 1, 0, 0)").bind(userId, `${userId}@example.test`).run()
    await env.DB.prepare("INSERT INTO user_identities (provider_id, subject, user_id, created_at, last_used_at) VALUES (?, 'up-1', ?, 0, 0)").bind(id, userId).run()
    expect(await h.fail(deleteIdentityProvider({ providerId: id, expectedVersion: 1, actorId: ADMIN }))).toBeInstanceOf(VersionMismatch)
    expect(await h.run(deleteIdentityProvider({ providerId: id, expectedVersion: 3, actorId: ADMIN }))).toEqual({ linksRemoved: 1 })
    expect(await h.fail(getIdentityProvider({ providerId: id }))).toBeInstanceOf(NotFound)
    expect(await env.DB.prepare("SELECT id FROM users WHERE id = ?").bind(userId).first()).not.toBeNull()
    expect(h.audit.events().map((e) => e.details["action"])).toEqual([
      "identity_provider.created", "identity_provider.disabled", "identity_provider.enabled", "identity_provider.deleted"
    ])
  })
})
