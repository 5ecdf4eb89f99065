/**
 * `/admin/api/v1/custom-fields`, `/users/{id}/custom-fields` and
 * `/scope-mappings` through the edge (issue 12 §1, §4): CRUD with ETag /
 * If-Match, RFC 9457 field errors, the 20-writer race on one definition, and
 * a claim released through a NEW mapping on the very next /userinfo of a real
 * code flow (the mapping cache is dropped by the write), typed by its definition.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it, vi } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { jwtPayload, pkcePair, redeemCode, signIn } from "./support/flows.ts"
import { adminCall, problemOf, signInAdmin } from "./support/admin_flows.ts"

interface Definition { name: string; type: string; version: number; labels: { en: string; ja: string }; userEditable: boolean }

const fieldName = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`
const labels = { en: "Department", ja: "部署" }

describe("Admin API — custom field definitions", () => {
  it("create (201, ETag), read, list, update with If-Match, delete; 409 taken, 404 unknown, 428 without If-Match", async () => {
    const { token } = await signInAdmin(["schema:read", "schema:write"])
    const name = fieldName("dept")
    const created = await adminCall("/custom-fields", { token, method: "POST", body: { name, type: "enum", validation: { enumValues: ["sales", "dev"] }, labels, userEditable: true } })
    expect(created.status).toBe(201)
    expect(created.headers.get("etag")).toBe(`"1"`)
    expect(await created.json<Definition>()).toMatchObject({ name, type: "enum", labels, userEditable: true, required: false, version: 1 })
    expect((await adminCall(`/custom-fields/${name}`, { token })).headers.get("etag")).toBe(`"1"`)
    expect((await (await adminCall("/custom-fields", { token })).json<{ definitions: Array<Definition> }>()).definitions.map((d) => d.name)).toContain(name)
    await problemOf(await adminCall("/custom-fields", { token, method: "POST", body: { name, type: "string", labels } }), 409)

    const updated = await adminCall(`/custom-fields/${name}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { validation: { enumValues: ["sales", "dev", "ops"] } } })
    expect(updated.status).toBe(200)
    expect(updated.headers.get("etag")).toBe(`"2"`)
    await problemOf(await adminCall(`/custom-fields/${name}`, { token, method: "PATCH", body: { userEditable: false } }), 428)
    await problemOf(await adminCall(`/custom-fields/${name}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { userEditable: false } }), 412)
    await problemOf(await adminCall("/custom-fields/no_such_field", { token }), 404)
    await problemOf(await adminCall("/custom-fields/no_such_field", { token, method: "PATCH", headers: { "if-match": `"1"` }, body: {} }), 404)
    const deleted = await adminCall(`/custom-fields/${name}`, { token, method: "DELETE", headers: { "if-match": `"2"` } })
    expect(await deleted.json()).toEqual({ valuesRemoved: 0, mappingsRemoved: 0 })
    await problemOf(await adminCall(`/custom-fields/${name}`, { token }), 404)
  })

  it("ugly definitions → 400 naming the field", async () => {
    const { token } = await signInAdmin(["schema:write"])
    const post = async (body: unknown) => (await problemOf(await adminCall("/custom-fields", { token, method: "POST", body }), 400)).errors?.[0]?.field
    expect(await post({ name: "Bad-Name", type: "string", labels })).toBe("name")
    expect(await post({ name: fieldName("x"), type: "json", labels })).toBe("type")
    expect(await post({ name: fieldName("x"), type: "string", labels: { en: "x" } })).toBe("labels.ja")
    expect(await post({ name: fieldName("x"), type: "string", labels, validation: { pattern: "(a*)*b" } })).toBe("validation.pattern")
    expect(await post({ name: fieldName("x"), type: "number", labels, validation: { maxLength: 3 } })).toBe("validation.maxLength")
    expect(await post({ name: fieldName("x"), type: "string", labels, extra: 1 })).toBe("extra")
    expect(await post("{not json")).toBeDefined()
  })

  it("RACE: 20 concurrent updates of one definition with the same If-Match → exactly one 200, nineteen 412", async () => {
    const { token } = await signInAdmin(["schema:read", "schema:write"])
    const name = fieldName("race")
    await adminCall("/custom-fields", { token, method: "POST", body: { name, type: "string", labels } })
    const statuses = (await Promise.all(Array.from({ length: 20 }, (_, i) =>
      adminCall(`/custom-fields/${name}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { labels: { en: `writer ${i}`, ja: `書き手 ${i}` } } }))))
      .map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 412)).toHaveLength(19)
    expect((await (await adminCall(`/custom-fields/${name}`, { token })).json<Definition>()).version).toBe(2)
  })

  it("needs schema:* — a users-only admin is refused 403", async () => {
    const { token } = await signInAdmin(["users:read"])
    await problemOf(await adminCall("/custom-fields", { token }), 403)
    await problemOf(await adminCall("/scope-mappings", { token }), 403)
  })
})

describe("Admin API — user custom values and release through a new scope mapping", () => {
  it("PATCH values (typed, 400 per bad field, all or nothing), then a NEW mapping is released on the next /userinfo; export carries the values", async () => {
    const { token, user: admin } = await signInAdmin(["schema:read", "schema:write", "users:read", "users:write"])
    const [dept, level, manager] = [fieldName("dept"), fieldName("level"), fieldName("mgr")]
    await adminCall("/custom-fields", { token, method: "POST", body: { name: dept, type: "string", labels, validation: { maxLength: 20 } } })
    await adminCall("/custom-fields", { token, method: "POST", body: { name: level, type: "number", labels, validation: { min: 1, max: 9 } } })
    await adminCall("/custom-fields", { token, method: "POST", body: { name: manager, type: "boolean", labels } })
    const user = await seedUser()

    const bad = await problemOf(await adminCall(`/users/${user.id}/custom-fields`, { token, method: "PATCH", body: { values: { [dept]: "R&D", [level]: 12 } } }), 400)
    expect(bad.errors).toEqual([{ field: `values.${level}`, message: "must be at most 9" }])
    expect((await problemOf(await adminCall(`/users/${user.id}/custom-fields`, { token, method: "PATCH", body: { values: { undefined_zz: "x" } } }), 400)).errors?.[0]?.field).toBe("values.undefined_zz")
    expect((await problemOf(await adminCall(`/users/${user.id}/custom-fields`, { token, method: "PATCH", body: { values: { [dept]: { nested: 1 } } } }), 400)).errors?.[0]?.field).toMatch(/^values/)
    expect(await (await adminCall(`/users/${user.id}/custom-fields`, { token })).json()).toEqual({ values: {} })
    await problemOf(await adminCall("/users/no-such-user/custom-fields", { token }), 404)
    await problemOf(await adminCall("/users/no-such-user/custom-fields", { token, method: "PATCH", body: { values: { [dept]: "x" } } }), 404)

    const written = await adminCall(`/users/${user.id}/custom-fields`, { token, method: "PATCH", body: { values: { [dept]: "R&D", [level]: "3", [manager]: true } } })
    expect(written.status).toBe(200)
    expect(await written.json()).toEqual({ values: { [dept]: "R&D", [level]: 3, [manager]: true } })

    // A client registered for a fresh scope, and a first /userinfo before any mapping of it (warms identity's mapping cache).
    const scope = `org-${crypto.randomUUID().slice(0, 8)}`
    const client = await seedClient({ skipConsent: true, scope: `openid profile ${scope}` })
    const { verifier, challenge } = await pkcePair()
    const callback = await signIn(new Browser(), client, user, { scope: `openid ${scope}`, code_challenge: challenge, code_challenge_method: "S256" })
    const tokens = await (await redeemCode(client, callback.searchParams.get("code")!, verifier)).json<{ access_token: string; id_token: string }>()
    const userinfo = async () => (await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } })).json<Record<string, unknown>>()
    expect(await userinfo()).toEqual({ sub: user.id })

    for (const [claim, field] of [["department", dept], ["level", level], ["is_manager", manager]] as const) {
      const put = await adminCall(`/scope-mappings/${scope}/${claim}`, { token, method: "PUT", body: { sourceTable: "user_custom_fields", sourceColumn: field } })
      expect(put.status).toBe(200)
      expect((await put.json<{ created: boolean }>()).created).toBe(true)
    }
    // The very next /userinfo releases them, typed by their definitions.
    expect(await userinfo()).toEqual({ sub: user.id, department: "R&D", level: 3, is_manager: true })
    // The ID token of the code flow carries no scope claims (OIDC Core §5.4: they come from /userinfo when an access token is issued).
    expect(jwtPayload(tokens.id_token)).not.toHaveProperty("department")
    const sources = await (await adminCall("/scope-mappings/sources", { token })).json<{ userColumns: Array<string>; customFields: Array<string>; protectedClaims: Array<string> }>()
    expect(sources.customFields).toEqual(expect.arrayContaining([dept, level, manager]))
    expect(sources.userColumns).toContain("given_name")
    expect(sources.userColumns).not.toContain("password_hash")
    expect(sources.protectedClaims).toEqual(expect.arrayContaining(["sub", "iss", "aud", "roles"]))
    const listed = await (await adminCall("/scope-mappings", { token })).json<{ mappings: Array<{ scope: string; claimName: string }> }>()
    expect(listed.mappings.filter((m) => m.scope === scope).map((m) => m.claimName)).toEqual(["department", "is_manager", "level"])

    // Refusals name the field; protected claims and openid stay Authrim's.
    const put = (path: string, body: unknown) => adminCall(`/scope-mappings/${path}`, { token, method: "PUT", body })
    expect((await problemOf(await put(`${scope}/sub`, { sourceTable: "users", sourceColumn: "email" }), 400)).errors?.[0]?.field).toBe("claimName")
    expect((await problemOf(await put("openid/nickname2", { sourceTable: "users", sourceColumn: "nickname" }), 400)).errors?.[0]?.field).toBe("scope")
    expect((await problemOf(await put(`${scope}/pw`, { sourceTable: "users", sourceColumn: "password_hash" }), 400)).errors?.[0]?.field).toBe("sourceColumn")
    expect((await problemOf(await put(`${scope}/x`, { sourceTable: "sessions", sourceColumn: "id" }), 400)).errors?.[0]?.field).toBe("sourceTable")
    expect((await problemOf(await put(`${scope}/email`, { sourceTable: "user_custom_fields", sourceColumn: dept }), 400)).errors?.[0]?.field).toBe("claimName")

    // Deleting a mapping stops the release at once; deleting a definition takes its values and mappings along.
    expect((await adminCall(`/scope-mappings/${scope}/department`, { token, method: "DELETE" })).status).toBe(204)
    await problemOf(await adminCall(`/scope-mappings/${scope}/department`, { token, method: "DELETE" }), 404)
    expect(await userinfo()).toEqual({ sub: user.id, level: 3, is_manager: true })
    const removed = await adminCall(`/custom-fields/${manager}`, { token, method: "DELETE", headers: { "if-match": `"1"` } })
    expect(await removed.json()).toEqual({ valuesRemoved: 1, mappingsRemoved: 1 })
    expect(await userinfo()).toEqual({ sub: user.id, level: 3 })

    // GDPR export (admin API) holds the custom values.
    const exported = await (await adminCall(`/users/${user.id}/export`, { token })).json<{ customFields: Array<{ name: string; value: string | null }> }>()
    expect(exported.customFields).toEqual(expect.arrayContaining([{ name: dept, value: "R&D" }, { name: level, value: "3" }]))

    await vi.waitFor(async () => {
      const { results } = await env.DB.prepare("SELECT actor_id, metadata FROM audit_log WHERE action = 'admin.action' AND actor_id = ? ORDER BY created_at")
        .bind(admin.id).all<{ actor_id: string; metadata: string }>()
      const actions = results.map((r) => JSON.parse(r.metadata).action)
      expect(actions).toEqual(expect.arrayContaining(["custom_field.created", "custom_fields.updated", "scope_mapping.put", "scope_mapping.deleted", "custom_field.deleted"]))
      expect(JSON.stringify(results)).not.toContain("R&D")
    }, { timeout: 45_000, interval: 250 })
  })
})
