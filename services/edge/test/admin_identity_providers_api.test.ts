/**
 * `/admin/api/v1/identity-providers` through the edge (issue 12 §1): CRUD with
 * ETag / If-Match, the client secret write-only (never in any answer), field
 * errors for unsafe URLs, and the login page following enable / disable.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { adminCall, problemOf, signInAdmin } from "./support/admin_flows.ts"

interface Provider { id: string; name: string; enabled: boolean; hasClientSecret: boolean; version: number; issuer: string | null }

const SECRET = "upstream-secret-never-answered"
const providerId = () => `idp-${crypto.randomUUID().slice(0, 8)}`

describe("Admin API — identity providers", () => {
  it("create, read, list, update (If-Match), disable / enable, delete — the secret never comes back", async () => {
    const { token } = await signInAdmin(["providers:read", "providers:write"])
    const id = providerId()
    const created = await adminCall("/identity-providers", {
      token, method: "POST", body: { id, providerType: "oidc", name: "Example IdP", issuer: "https://idp.example.com", clientId: "authrim", clientSecret: SECRET }
    })
    expect(created.status).toBe(201)
    expect(created.headers.get("etag")).toBe(`"1"`)
    const text = await created.text()
    expect(text).not.toContain(SECRET)
    expect(JSON.parse(text)).toMatchObject({ id, enabled: true, hasClientSecret: true, issuer: "https://idp.example.com", version: 1 })
    for (const path of ["/identity-providers", `/identity-providers/${id}`]) expect(await (await adminCall(path, { token })).text()).not.toContain(SECRET)
    await problemOf(await adminCall("/identity-providers", { token, method: "POST", body: { id, providerType: "oidc", name: "x", issuer: "https://idp.example.com", clientId: "c" } }), 409)

    const updated = await adminCall(`/identity-providers/${id}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { name: "Renamed", clientSecret: "rotated-secret-value" } })
    expect(updated.status).toBe(200)
    expect(updated.headers.get("etag")).toBe(`"2"`)
    expect(await updated.text()).not.toContain("rotated-secret-value")
    await problemOf(await adminCall(`/identity-providers/${id}`, { token, method: "PATCH", body: { name: "x" } }), 428)
    await problemOf(await adminCall(`/identity-providers/${id}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { name: "x" } }), 412)

    const listed = async () => {
      const result = await env.IDENTITY.listUpstreamProviders({})
      return result._tag === "Success" ? result.value.providers.map((p) => p.id) : []
    }
    expect((await adminCall(`/identity-providers/${id}/disable`, { token, method: "POST" })).status).toBe(200)
    expect(await listed()).not.toContain(id)
    const enabled = await (await adminCall(`/identity-providers/${id}/enable`, { token, method: "POST" })).json<Provider>()
    expect(enabled).toMatchObject({ enabled: true, version: 4, name: "Renamed" })

    await problemOf(await adminCall(`/identity-providers/${id}`, { token, method: "DELETE", headers: { "if-match": `"2"` } }), 412)
    expect(await (await adminCall(`/identity-providers/${id}`, { token, method: "DELETE", headers: { "if-match": `"4"` } })).json()).toEqual({ linksRemoved: 0 })
    await problemOf(await adminCall(`/identity-providers/${id}`, { token }), 404)
    await problemOf(await adminCall(`/identity-providers/${id}/enable`, { token, method: "POST" }), 404)
  })

  it("ugly providers → 400 naming the field (http issuer, credentials in URL, oauth2 without endpoints, unknown type)", async () => {
    const { token } = await signInAdmin(["providers:write"])
    const post = async (body: Record<string, unknown>) =>
      (await problemOf(await adminCall("/identity-providers", { token, method: "POST", body: { id: providerId(), name: "X", clientId: "c", ...body } }), 400)).errors?.[0]?.field
    expect(await post({ providerType: "oidc", issuer: "http://idp.example.com" })).toBe("issuer")
    expect(await post({ providerType: "oidc", issuer: "https://u:p@idp.example.com" })).toBe("issuer")
    expect(await post({ providerType: "oidc" })).toBe("issuer")
    expect(await post({ providerType: "oidc", issuer: "https://idp.example.com", scopes: ["profile"] })).toBe("scopes")
    expect(await post({ providerType: "oauth2", authorizationEndpoint: "https://gh.example/a" })).toBe("tokenEndpoint")
    expect(await post({ providerType: "saml", issuer: "https://idp.example.com" })).toBe("providerType")
    expect(await post({ providerType: "oidc", issuer: "https://idp.example.com", id: "bad id!" })).toBe("id")
  })

  it("needs providers:* — a schema-only admin is refused 403", async () => {
    const { token } = await signInAdmin(["schema:read"])
    await problemOf(await adminCall("/identity-providers", { token }), 403)
  })
})
