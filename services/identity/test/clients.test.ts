import { OAuthError, type ClientAuthMethod, type ClientInput } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { CLIENT_KV_NEGATIVE_TTL_SECONDS, clientKvKey, invalidateClient } from "../src/clients/client_cache.ts"
import { CLIENT_MEMORY_NEGATIVE_TTL_MS, CLIENT_MEMORY_TTL_MS } from "../src/clients/client_memory_cache.ts"
import { authenticateClient, getClient, upsertClient } from "../src/clients/clients.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const confidential = (clientId: string, extra: Partial<ClientInput> = {}): ClientInput => ({
  clientId,
  clientSecret: "s3cr3t-0123456789abcdef0123456789abcdef",
  redirectUris: ["https://rp.example/cb"],
  ...extra
})

const renameInD1 = (clientId: string, name: string) =>
  env.DB.prepare("UPDATE oauth_clients SET client_name = ? WHERE client_id = ?").bind(name, clientId).run()

describe("Client registration defaults (RFC 7591 §2)", () => {
  it("a client with a secret defaults to client_secret_basic, code flow, refresh, OIDC scopes, RS256", async () => {
    const h = makeHarness()
    const id = unique("conf")
    const client = await h.run(upsertClient(confidential(id)))
    expect(client).toEqual({
      clientId: id,
      clientName: id,
      redirectUris: ["https://rp.example/cb"],
      postLogoutRedirectUris: [],
      grantTypes: ["authorization_code", "refresh_token"],
      responseTypes: ["code"],
      tokenEndpointAuthMethod: "client_secret_basic",
      isPublic: false,
      scope: "openid profile email offline_access",
      idTokenSignedResponseAlg: "RS256",
      skipConsent: false
    })
  })

  it("online_refresh_tokens is off unless set, and round-trips when set (issue 9 §2)", async () => {
    const h = makeHarness()
    const id = unique("online")
    expect(await h.run(upsertClient(confidential(id)))).not.toHaveProperty("onlineRefreshTokens")
    expect(await h.run(upsertClient({ ...confidential(id), onlineRefreshTokens: true }))).toMatchObject({ onlineRefreshTokens: true })
    expect(await h.run(upsertClient({ ...confidential(id), onlineRefreshTokens: false }))).not.toHaveProperty("onlineRefreshTokens")
  })

  it("a client without a secret is public (none); its row holds no secret hash", async () => {
    const h = makeHarness()
    const id = unique("pub")
    const client = await h.run(upsertClient({ clientId: id, redirectUris: ["http://127.0.0.1:3000/cb"] }))
    expect(client).toMatchObject({ tokenEndpointAuthMethod: "none", isPublic: true })
    const row = await env.DB.prepare("SELECT client_secret_hash FROM oauth_clients WHERE client_id = ?").bind(id).first()
    expect(row).toEqual({ client_secret_hash: null })
  })

  it("stores only sha256$<hex> of the secret", async () => {
    const h = makeHarness()
    const id = unique("hash")
    await h.run(upsertClient(confidential(id)))
    const row = await env.DB.prepare("SELECT client_secret_hash AS h FROM oauth_clients WHERE client_id = ?").bind(id).first<{ h: string }>()
    expect(row?.h).toMatch(/^sha256\$[0-9a-f]{64}$/)
    expect(JSON.stringify(await env.CLIENTS.get(clientKvKey(id)))).not.toContain("s3cr3t")
  })

  it("rejects a public client with a secret (invalid_client_metadata)", async () => {
    const h = makeHarness()
    const publicWithSecret = await h.fail(upsertClient(confidential(unique("y"), { tokenEndpointAuthMethod: "none" })))
    expect(publicWithSecret).toMatchObject({ code: "invalid_client_metadata" })
  })
})

describe("Client secrets are high-entropy (issue 9 §5)", () => {
  it("a confidential client registered without a secret gets a generated one (256 bits, base64url), answered once, that authenticates", async () => {
    const h = makeHarness()
    const id = unique("gen")
    const created = await h.run(upsertClient({ clientId: id, redirectUris: ["https://rp.example/cb"], tokenEndpointAuthMethod: "client_secret_post" }))
    expect(created.generatedClientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const generated = created.generatedClientSecret!
    expect(await h.run(authenticateClient({ clientId: id, method: "client_secret_post", clientSecret: generated }))).toMatchObject({ clientId: id })
    // Never again: a read does not carry it, and only its hash is stored.
    expect(await h.run(getClient(id))).not.toHaveProperty("generatedClientSecret")
    const row = await env.DB.prepare("SELECT client_secret_hash AS h FROM oauth_clients WHERE client_id = ?").bind(id).first<{ h: string }>()
    expect(row?.h).toMatch(/^sha256\$[0-9a-f]{64}$/)
    expect(row?.h).not.toContain(generated)
    // Two clients never share one.
    const other = await h.run(upsertClient({ clientId: unique("gen"), redirectUris: ["https://rp.example/cb"], tokenEndpointAuthMethod: "client_secret_basic" }))
    expect(other.generatedClientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(other.generatedClientSecret).not.toBe(generated)
  })

  it("a supplied secret is never echoed back", async () => {
    const h = makeHarness()
    expect(await h.run(upsertClient(confidential(unique("sup"))))).not.toHaveProperty("generatedClientSecret")
  })

  it.each([1, 16, 31])("a supplied secret of %i characters is refused with invalid_client_metadata, and nothing is stored", async (length) => {
    const h = makeHarness()
    const id = unique("short")
    const error = await h.fail(upsertClient(confidential(id, { clientSecret: "x".repeat(length) })))
    expect(error).toMatchObject({ _tag: "OAuthError", code: "invalid_client_metadata" })
    expect((error as OAuthError).description).toContain("at least 32 characters")
    expect(await env.DB.prepare("SELECT 1 FROM oauth_clients WHERE client_id = ?").bind(id).first()).toBeNull()
  })

  it("a supplied secret of exactly 32 characters is accepted", async () => {
    const h = makeHarness()
    const id = unique("len32")
    const secret32 = "0123456789abcdef0123456789abcdef"
    await h.run(upsertClient(confidential(id, { clientSecret: secret32 })))
    expect(await h.run(authenticateClient({ clientId: id, method: "client_secret_basic", clientSecret: secret32 }))).toMatchObject({ clientId: id })
  })

  it.each(["/relative/cb", "https://rp.example/cb#frag", "not a url"])("rejects redirect URI %s (invalid_redirect_uri)", async (uri) => {
    const h = makeHarness()
    const error = await h.fail(upsertClient(confidential(unique("r"), { redirectUris: [uri] })))
    expect(error).toBeInstanceOf(OAuthError)
    expect(error).toMatchObject({ code: "invalid_redirect_uri" })
  })
})

describe("Client metadata cache — memory → KV → D1 (DESIGN §2)", () => {
  it("the first read fills KV; later reads are served from cache, not D1", async () => {
    const h = makeHarness()
    const id = unique("cache")
    await h.run(upsertClient(confidential(id, { clientName: "Original" })))
    await env.CLIENTS.delete(clientKvKey(id))
    h.clock.advance(CLIENT_MEMORY_TTL_MS + 1)
    await h.run(getClient(id))
    expect(await env.CLIENTS.get(clientKvKey(id))).not.toBeNull()

    await renameInD1(id, "Changed behind the cache")
    expect((await h.run(getClient(id))).clientName).toBe("Original") // memory
    h.clock.advance(CLIENT_MEMORY_TTL_MS + 1)
    expect((await h.run(getClient(id))).clientName).toBe("Original") // memory expired: KV
    await env.CLIENTS.delete(clientKvKey(id))
    h.clock.advance(CLIENT_MEMORY_TTL_MS + 1)
    expect((await h.run(getClient(id))).clientName).toBe("Changed behind the cache") // D1
  })

  it("upsertClient invalidates KV and memory: the next read sees the update", async () => {
    const h = makeHarness()
    const id = unique("inv")
    await h.run(upsertClient(confidential(id, { clientName: "v1" })))
    expect((await h.run(getClient(id))).clientName).toBe("v1")
    await h.run(upsertClient(confidential(id, { clientName: "v2", redirectUris: ["https://rp.example/v2"] })))
    expect(await h.run(getClient(id))).toMatchObject({ clientName: "v2", redirectUris: ["https://rp.example/v2"] })
  })

  it("an unknown id is NotFound and cached negatively with a short KV TTL, never forever", async () => {
    const h = makeHarness()
    const id = unique("ghost")
    expect(await h.fail(getClient(id))).toMatchObject({ _tag: "NotFound" })
    const listed = await env.CLIENTS.list({ prefix: clientKvKey(id) })
    const entry = listed.keys.find((k) => k.name === clientKvKey(id))
    expect(entry?.expiration).toBeDefined()
    expect(entry?.expiration ?? Infinity).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + CLIENT_KV_NEGATIVE_TTL_SECONDS + 1)
  })

  it("creating a client after a negative lookup makes it visible at once", async () => {
    const h = makeHarness()
    const id = unique("late")
    expect(await h.fail(getClient(id))).toMatchObject({ _tag: "NotFound" })
    await h.run(upsertClient(confidential(id)))
    expect(await h.run(getClient(id))).toMatchObject({ clientId: id })
  })
})

describe("Client cache invalidation — deletes and other isolates (issue 12 §5)", () => {
  it("a deleted client (row gone + invalidateClient, as deleteClient does) is NotFound / invalid_client on the next call", async () => {
    const h = makeHarness()
    const id = unique("deleted")
    const secret = "s3cr3t-0123456789abcdef0123456789abcdef"
    await h.run(upsertClient(confidential(id)))
    expect(await h.run(authenticateClient({ clientId: id, method: "client_secret_basic", clientSecret: secret }))).toMatchObject({ clientId: id })
    await env.DB.prepare("DELETE FROM oauth_clients WHERE client_id = ?").bind(id).run()
    await h.run(invalidateClient(id))
    expect(await h.fail(getClient(id))).toMatchObject({ _tag: "NotFound" })
    expect(await h.fail(authenticateClient({ clientId: id, method: "client_secret_basic", clientSecret: secret }))).toMatchObject({ code: "invalid_client" })
  })

  it("another isolate's memory copy is stale for at most CLIENT_MEMORY_TTL_MS, a negative one for CLIENT_MEMORY_NEGATIVE_TTL_MS", async () => {
    const writer = makeHarness()
    const other = makeHarness()
    const id = unique("isolates")
    expect(await other.fail(getClient(id))).toMatchObject({ _tag: "NotFound" })
    await writer.run(upsertClient(confidential(id, { clientName: "v1" })))
    expect(await other.fail(getClient(id))).toMatchObject({ _tag: "NotFound" }) // its negative entry
    other.clock.advance(CLIENT_MEMORY_NEGATIVE_TTL_MS)
    expect((await other.run(getClient(id))).clientName).toBe("v1")
    await writer.run(upsertClient(confidential(id, { clientName: "v2" })))
    expect((await writer.run(getClient(id))).clientName).toBe("v2") // the writing isolate: at once
    expect((await other.run(getClient(id))).clientName).toBe("v1") // memory, not yet expired
    other.clock.advance(CLIENT_MEMORY_TTL_MS)
    expect((await other.run(getClient(id))).clientName).toBe("v2") // KV was deleted by the write (one location here)
  })
})

describe("Client authentication — RFC 6749 §2.3, OIDC Core §9", () => {
  const secret = "s3cr3t-0123456789abcdef0123456789abcdef"

  it.each(["client_secret_basic", "client_secret_post"] as const)("%s: accepted only with the registered method and the right secret", async (method) => {
    const h = makeHarness()
    const id = unique(method)
    await h.run(upsertClient(confidential(id, { tokenEndpointAuthMethod: method })))
    expect(await h.run(authenticateClient({ clientId: id, method, clientSecret: secret }))).toMatchObject({ clientId: id })

    const other: ClientAuthMethod = method === "client_secret_basic" ? "client_secret_post" : "client_secret_basic"
    const attempts: ReadonlyArray<{ method: ClientAuthMethod; clientSecret: string | null }> = [
      { method: other, clientSecret: secret },
      { method: "none" as const, clientSecret: null },
      { method, clientSecret: `${secret}x` },
      { method, clientSecret: secret.slice(0, -1) },
      { method, clientSecret: null }
    ]
    for (const attempt of attempts) {
      expect(await h.fail(authenticateClient({ clientId: id, ...attempt }))).toMatchObject({ _tag: "OAuthError", code: "invalid_client" })
    }
  })

  it("none: a public client authenticates without a secret and cannot present one", async () => {
    const h = makeHarness()
    const id = unique("none")
    await h.run(upsertClient({ clientId: id, redirectUris: ["https://spa.example/cb"] }))
    expect(await h.run(authenticateClient({ clientId: id, method: "none", clientSecret: null }))).toMatchObject({ isPublic: true })
    expect(await h.fail(authenticateClient({ clientId: id, method: "none", clientSecret: "guess" }))).toMatchObject({ code: "invalid_client" })
    expect(await h.fail(authenticateClient({ clientId: id, method: "client_secret_basic", clientSecret: "guess" }))).toMatchObject({ code: "invalid_client" })
  })

  it("an unknown client is invalid_client, not NotFound", async () => {
    const h = makeHarness()
    const error = await h.fail(authenticateClient({ clientId: unique("nope"), method: "client_secret_basic", clientSecret: secret }))
    expect(error).toMatchObject({ _tag: "OAuthError", code: "invalid_client" })
  })

  it("a rotated secret replaces the old one", async () => {
    const h = makeHarness()
    const id = unique("rotate")
    await h.run(upsertClient(confidential(id)))
    await h.run(authenticateClient({ clientId: id, method: "client_secret_basic", clientSecret: secret }))
    await h.run(upsertClient(confidential(id, { clientSecret: "new-secret-fedcba9876543210fedcba9876543210" })))
    expect(await h.fail(authenticateClient({ clientId: id, method: "client_secret_basic", clientSecret: secret }))).toMatchObject({ code: "invalid_client" })
    expect(await h.run(authenticateClient({ clientId: id, method: "client_secret_basic", clientSecret: "new-secret-fedcba9876543210fedcba9876543210" }))).toMatchObject({ clientId: id })
  })
})
