/**
 * `/admin/api/v1/clients` through the edge, with the real backends: CRUD,
 * the secret shown once, versions (ETag / If-Match → 412, 428), rotation
 * with a grace period at /token, the very next /authorize seeing an edit,
 * ugly inputs as RFC 9457 problems naming the field, and the audit events.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it, vi } from "vitest"
import { Browser } from "./support/browser.ts"
import { authorizeUrl, basicAuth } from "./support/flows.ts"
import { adminCall, problemOf, signInAdmin } from "./support/admin_flows.ts"

const newClient = (extra: Record<string, unknown> = {}) => ({
  clientName: "Console-made RP",
  redirectUris: ["https://rp.test/cb"],
  grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
  tokenEndpointAuthMethod: "client_secret_basic",
  scope: "openid profile",
  ...extra
})

interface ClientWithSecret { client: { clientId: string; version: number; redirectUris: Array<string>; hasSecret: boolean; logoUri: string | null }; clientSecret: string | null }

const clientCredentials = (clientId: string, secret: string) =>
  new Browser().request("/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(clientId, secret) },
    body: new URLSearchParams({ grant_type: "client_credentials" }).toString()
  })

describe("Admin API — clients", () => {
  it("create → secret once; read with ETag; the secret is never readable again", async () => {
    const { token } = await signInAdmin(["clients:read", "clients:write"])
    const created = await adminCall("/clients", { token, method: "POST", body: newClient({ logoUri: "https://rp.test/logo.png" }) })
    expect(created.status).toBe(201)
    expect(created.headers.get("etag")).toBe(`"1"`)
    expect(created.headers.get("cache-control")).toBe("no-store")
    const { client, clientSecret } = await created.json<ClientWithSecret>()
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(client).toMatchObject({ hasSecret: true, version: 1, logoUri: "https://rp.test/logo.png" })
    expect((await clientCredentials(client.clientId, clientSecret!)).status).toBe(200)

    const read = await adminCall(`/clients/${client.clientId}`, { token })
    expect(read.status).toBe(200)
    expect(read.headers.get("etag")).toBe(`"1"`)
    expect(JSON.stringify(await read.json())).not.toContain(clientSecret!)

    const list = await adminCall(`/clients?limit=200&cursor=${encodeURIComponent(client.clientId.slice(0, -1))}`, { token })
    expect((await list.json<{ clients: Array<{ clientId: string }> }>()).clients.map((c) => c.clientId)).toContain(client.clientId)
    await problemOf(await adminCall("/clients", { token, method: "POST", body: newClient({ clientId: client.clientId }) }), 409)
  })

  it("an edited redirect URI is used by the very next /authorize, and the old one is refused", async () => {
    const { token } = await signInAdmin(["clients:write", "clients:read"])
    const { client } = await (await adminCall("/clients", { token, method: "POST", body: newClient() })).json<ClientWithSecret>()
    const before = await new Browser().request(authorizeUrl(client.clientId, { scope: "openid" }))
    expect(before.status).toBe(200) // the login page: the old URI is registered
    const patched = await adminCall(`/clients/${client.clientId}`, {
      token, method: "PATCH", headers: { "if-match": `"1"` }, body: { redirectUris: ["https://rp.test/new-callback"] }
    })
    expect(patched.status).toBe(200)
    expect(patched.headers.get("etag")).toBe(`"2"`)
    const old = await new Browser().request(authorizeUrl(client.clientId, { scope: "openid" }))
    expect(old.status).toBe(400)
    expect(await old.text()).toContain("redirect")
    const fresh = await new Browser().request(authorizeUrl(client.clientId, { scope: "openid", redirect_uri: "https://rp.test/new-callback" }))
    expect(fresh.status).toBe(200)
  })

  it("If-Match: missing → 428, stale → 412 with the current ETag, and nothing is written", async () => {
    const { token } = await signInAdmin(["clients:write", "clients:read"])
    const { client } = await (await adminCall("/clients", { token, method: "POST", body: newClient() })).json<ClientWithSecret>()
    await problemOf(await adminCall(`/clients/${client.clientId}`, { token, method: "PATCH", body: { clientName: "x" } }), 428)
    await problemOf(await adminCall(`/clients/${client.clientId}`, { token, method: "PATCH", headers: { "if-match": "*" }, body: { clientName: "x" } }), 428)
    const stale = await adminCall(`/clients/${client.clientId}`, { token, method: "PATCH", headers: { "if-match": `"7"` }, body: { clientName: "x" } })
    await problemOf(stale, 412)
    expect(stale.headers.get("etag")).toBe(`"1"`)
    const garbage = await adminCall(`/clients/${client.clientId}`, { token, method: "DELETE", headers: { "if-match": "nonsense" } })
    await problemOf(garbage, 412)
    const read = await (await adminCall(`/clients/${client.clientId}`, { token })).json<{ clientName: string; version: number }>()
    expect(read).toMatchObject({ clientName: "Console-made RP", version: 1 })
  })

  it("RACE: 20 concurrent updates with the same If-Match → exactly one 200, the rest 412", async () => {
    const { token } = await signInAdmin(["clients:write", "clients:read"])
    const { client } = await (await adminCall("/clients", { token, method: "POST", body: newClient() })).json<ClientWithSecret>()
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      adminCall(`/clients/${client.clientId}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { clientName: `writer ${i}` } })))
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 412)).toHaveLength(19)
    const winner = await responses.find((r) => r.status === 200)!.json<{ client: { clientName: string } }>()
    const read = await (await adminCall(`/clients/${client.clientId}`, { token })).json<{ clientName: string; version: number }>()
    expect(read).toMatchObject({ version: 2, clientName: winner.client.clientName })
  })

  it("rotation: the old secret still works at /token during the grace period; grace 0 ends it at once", async () => {
    const { token } = await signInAdmin(["clients:write"])
    const { client, clientSecret: first } = await (await adminCall("/clients", { token, method: "POST", body: newClient() })).json<ClientWithSecret>()
    const rotated = await adminCall(`/clients/${client.clientId}/secret/rotate`, { token, method: "POST", headers: { "if-match": `"1"` }, body: { gracePeriodSeconds: 3600 } })
    expect(rotated.status).toBe(200)
    const { clientSecret: second, client: after } = await rotated.json<ClientWithSecret & { client: { previousSecretExpiresAt: number } }>()
    expect(after.previousSecretExpiresAt).toBeGreaterThan(Date.now())
    expect((await clientCredentials(client.clientId, first!)).status).toBe(200)
    expect((await clientCredentials(client.clientId, second!)).status).toBe(200)
    const again = await adminCall(`/clients/${client.clientId}/secret/rotate`, { token, method: "POST", headers: { "if-match": `"2"` }, body: { gracePeriodSeconds: 0 } })
    const { clientSecret: third } = await again.json<ClientWithSecret>()
    expect((await clientCredentials(client.clientId, second!)).status).toBe(401)
    expect((await clientCredentials(client.clientId, third!)).status).toBe(200)
    await problemOf(await adminCall(`/clients/${client.clientId}/secret/rotate`, { token, method: "POST", headers: { "if-match": `"3"` }, body: { gracePeriodSeconds: -1 } }), 400)
  })

  it("delete: versioned; the very next /authorize and /token know the client is gone; then 404", async () => {
    const { token } = await signInAdmin(["clients:write", "clients:read"])
    const { client, clientSecret } = await (await adminCall("/clients", { token, method: "POST", body: newClient() })).json<ClientWithSecret>()
    expect((await clientCredentials(client.clientId, clientSecret!)).status).toBe(200)
    const deleted = await adminCall(`/clients/${client.clientId}`, { token, method: "DELETE", headers: { "if-match": `"1"` } })
    expect(deleted.status).toBe(204)
    expect((await clientCredentials(client.clientId, clientSecret!)).status).toBe(401)
    expect((await new Browser().request(authorizeUrl(client.clientId, { scope: "openid" }))).status).toBe(400)
    await problemOf(await adminCall(`/clients/${client.clientId}`, { token }), 404)
    await problemOf(await adminCall(`/clients/${client.clientId}`, { token, method: "DELETE", headers: { "if-match": `"1"` } }), 404)
  })

  it("resources (RFC 8707): set, read back, refused when malformed, cleared; the next client_credentials obeys each write", async () => {
    const { token } = await signInAdmin(["clients:read", "clients:write"])
    const { client, clientSecret } = await (await adminCall("/clients", { token, method: "POST", body: newClient() })).json<ClientWithSecret>()
    const withResource = (resource: string) => new Browser().request("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, clientSecret!) },
      body: new URLSearchParams({ grant_type: "client_credentials", resource }).toString()
    })
    const notes = "https://notes.example/api"
    expect((await (await withResource(notes)).json<{ error?: string }>()).error).toBe("invalid_target")
    const patched = await adminCall(`/clients/${client.clientId}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { resources: [notes, "urn:example:calendar"] } })
    expect(patched.status).toBe(200)
    expect((await (await adminCall(`/clients/${client.clientId}`, { token })).json<{ resources?: unknown }>()).resources).toEqual([notes, "urn:example:calendar"])
    const issued = await withResource(notes)
    expect(issued.status).toBe(200)
    const { access_token } = await issued.json<{ access_token: string }>()
    expect(JSON.parse(atob(access_token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).aud).toBe(notes)
    for (const resources of [["relative/path"], [`${notes}#frag`], [notes, notes], Array.from({ length: 11 }, (_, i) => `${notes}/${i}`)]) {
      await problemOf(await adminCall(`/clients/${client.clientId}`, { token, method: "PATCH", headers: { "if-match": `"2"` }, body: { resources } }), 400)
    }
    const cleared = await adminCall(`/clients/${client.clientId}`, { token, method: "PATCH", headers: { "if-match": `"2"` }, body: { resources: null } })
    expect(cleared.status).toBe(200)
    expect((await cleared.json<{ resources?: unknown }>()).resources).toBeUndefined()
    expect((await (await withResource(notes)).json<{ error?: string }>()).error).toBe("invalid_target")
  })

  it("every write is audited by identity with the acting admin", async () => {
    const { token, user } = await signInAdmin(["clients:write"])
    const { client } = await (await adminCall("/clients", { token, method: "POST", body: newClient() })).json<ClientWithSecret>()
    await adminCall(`/clients/${client.clientId}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { clientName: "renamed" } })
    await adminCall(`/clients/${client.clientId}/secret/rotate`, { token, method: "POST", headers: { "if-match": `"2"` }, body: {} })
    await adminCall(`/clients/${client.clientId}`, { token, method: "DELETE", headers: { "if-match": `"3"` } })
    const expected = ["client.created", "client.updated", "client.secret_rotated", "client.deleted"]
    await vi.waitFor(async () => {
      const { results } = await env.DB.prepare("SELECT action, actor_type, actor_id, metadata FROM audit_log WHERE client_id = ? ORDER BY id")
        .bind(client.clientId).all<{ action: string; actor_type: string; actor_id: string; metadata: string }>()
      // Identity's client events carry the admin; the deletion's end of the client's tokens is the tokens service's (actor system).
      const byAdmin = results.filter((r) => r.actor_type !== "system")
      expect(byAdmin.map((r) => r.action)).toEqual(expected)
      for (const row of byAdmin) expect(row).toMatchObject({ actor_type: "admin", actor_id: user.id })
      expect(results.filter((r) => r.actor_type === "system").map((r) => r.action)).toEqual(["token.revoked"])
      expect(results.map((r) => r.metadata).join(" ")).not.toMatch(/secret"|[A-Za-z0-9_-]{43}/)
    }, { timeout: 45_000, interval: 250 })
  })
})

describe("Admin API — clients, ugly inputs (RFC 9457, no partial writes)", () => {
  it("bad JSON, wrong types, unknown fields, bad URIs: 400 naming the field; non-JSON 415; huge 413", async () => {
    const { token } = await signInAdmin(["clients:write"])
    const post = (body: unknown, headers: Record<string, string> = {}) => adminCall("/clients", { token, method: "POST", body, headers })
    expect((await problemOf(await post("{not json"), 400)).errors).toEqual([{ field: "body", message: "not valid JSON" }])
    expect((await problemOf(await post("[]"), 400)).errors?.[0]?.field).toBe("body")
    const types = await problemOf(await post({ clientName: 7, redirectUris: "https://rp.test/cb" }), 400)
    expect(types.errors?.map((e) => e.field).sort()).toEqual(["clientName", "redirectUris"])
    const unknown = await problemOf(await post({ ...newClient(), clientSecret: "i-choose-my-own-secret-which-is-long-enough" }), 400)
    expect(unknown.errors).toContainEqual({ field: "clientSecret", message: expect.any(String) })
    const grant = await problemOf(await post(newClient({ grantTypes: ["password"] })), 400)
    expect(grant.errors?.[0]?.field).toBe("grantTypes.0")
    const uri = await problemOf(await post(newClient({ redirectUris: ["not a uri"] })), 400)
    expect(uri.errors?.[0]?.field).toBe("redirectUris")
    const logo = await problemOf(await post(newClient({ logoUri: "javascript:alert(1)" })), 400)
    expect(logo.detail).toContain("logoUri")
    await problemOf(await post(newClient(), { "content-type": "text/plain" }), 415)
    await problemOf(await post({ ...newClient(), clientName: "x".repeat(70_000) }), 413)
    await problemOf(await adminCall("/clients?limit=0", { token: (await signInAdmin(["clients:read"])).token }), 400)
  })

  it("unknown ids are 404 for every verb", async () => {
    const { token } = await signInAdmin(["clients:write", "clients:read"])
    await problemOf(await adminCall("/clients/no-such-client", { token }), 404)
    await problemOf(await adminCall("/clients/no-such-client", { token, method: "PATCH", headers: { "if-match": `"1"` }, body: {} }), 404)
    await problemOf(await adminCall("/clients/no-such-client", { token, method: "DELETE", headers: { "if-match": `"1"` } }), 404)
    await problemOf(await adminCall("/clients/no-such-client/secret/rotate", { token, method: "POST", headers: { "if-match": `"1"` }, body: {} }), 404)
    await problemOf(await adminCall("/clients/%E0%A4%A", { token }), 400)
  })
})
