/**
 * `/admin/api/v1/roles`, `/users/{id}/roles`, `/keys`, `/audit-events` and
 * `/admin/api/openapi.json` through the edge (issue 12 §1, §3), with the
 * audit events identity and keys record for each admin write.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it, vi } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedUser } from "./support/fixtures.ts"
import { adminCall, problemOf, signInAdmin } from "./support/admin_flows.ts"

interface Role { id: string; name: string; permissions: Array<string>; version: number; description: string | null }

const roleName = () => `ops-${crypto.randomUUID().slice(0, 8)}`

describe("Admin API — roles and user roles", () => {
  it("create, read (ETag), update with If-Match, delete; taken names 409; unknown ids 404", async () => {
    const { token } = await signInAdmin(["roles:read", "roles:write"])
    const name = roleName()
    const created = await adminCall("/roles", { token, method: "POST", body: { name, description: "ops", permissions: ["keys:read"] } })
    expect(created.status).toBe(201)
    const role = await created.json<Role>()
    expect(role).toMatchObject({ name, permissions: ["keys:read"], version: 1 })
    expect((await adminCall(`/roles/${role.id}`, { token })).headers.get("etag")).toBe(`"1"`)
    expect((await (await adminCall("/roles", { token })).json<{ roles: Array<Role> }>()).roles.map((r) => r.id)).toContain(role.id)
    await problemOf(await adminCall("/roles", { token, method: "POST", body: { name, permissions: [] } }), 409)

    const updated = await adminCall(`/roles/${role.id}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { permissions: ["keys:read", "keys:write"] } })
    expect(updated.status).toBe(200)
    expect(updated.headers.get("etag")).toBe(`"2"`)
    expect((await updated.json<Role>()).permissions).toEqual(["keys:read", "keys:write"])
    await problemOf(await adminCall(`/roles/${role.id}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { description: "late" } }), 412)
    await problemOf(await adminCall(`/roles/${role.id}`, { token, method: "DELETE" }), 428)
    expect((await adminCall(`/roles/${role.id}`, { token, method: "DELETE", headers: { "if-match": `"2"` } })).status).toBe(204)
    await problemOf(await adminCall(`/roles/${role.id}`, { token }), 404)
    await problemOf(await adminCall("/roles/nope", { token, method: "PATCH", headers: { "if-match": `"1"` }, body: {} }), 404)
  })

  it("ugly role inputs: unknown permission, duplicates, bad name, unknown field → 400 naming the field", async () => {
    const { token } = await signInAdmin(["roles:write"])
    const post = (body: unknown) => adminCall("/roles", { token, method: "POST", body })
    expect((await problemOf(await post({ name: roleName(), permissions: ["root"] }), 400)).errors?.[0]?.field).toBe("permissions.0")
    expect((await problemOf(await post({ name: roleName(), permissions: ["keys:read", "keys:read"] }), 400)).errors?.[0]?.field).toBe("permissions")
    expect((await problemOf(await post({ name: "has space", permissions: [] }), 400)).errors?.[0]?.field).toBe("name")
    expect((await problemOf(await post({ name: roleName(), permissions: [], admin: true }), 400)).errors?.[0]?.field).toBe("admin")
    expect((await problemOf(await post({ permissions: [] }), 400)).errors?.[0]?.field).toBe("name")
  })

  it("RACE: 10 concurrent role updates with the same If-Match → exactly one 200", async () => {
    const { token } = await signInAdmin(["roles:write", "roles:read"])
    const role = await (await adminCall("/roles", { token, method: "POST", body: { name: roleName(), permissions: [] } })).json<Role>()
    const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) =>
      adminCall(`/roles/${role.id}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { description: `w${i}` } })))).map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 412)).toHaveLength(9)
  })

  it("assign and unassign a role: the user's permissions follow, audited as admin.action", async () => {
    const { token, user: admin } = await signInAdmin(["roles:read", "roles:write"])
    const target = await seedUser()
    const role = await (await adminCall("/roles", { token, method: "POST", body: { name: roleName(), permissions: ["audit:read"] } })).json<Role>()
    const assigned = await adminCall(`/users/${target.id}/roles/${role.id}`, { token, method: "PUT" })
    expect(await assigned.json()).toEqual({ assigned: true })
    expect(await (await adminCall(`/users/${target.id}/roles/${role.id}`, { token, method: "PUT" })).json()).toEqual({ assigned: false })
    expect((await (await adminCall(`/users/${target.id}/roles`, { token })).json<{ roles: Array<Role> }>()).roles.map((r) => r.id)).toEqual([role.id])
    expect(await env.IDENTITY_ADMIN.getUserPermissions({ userId: target.id })).toMatchObject({ value: { permissions: ["audit:read"] } })
    expect(await (await adminCall(`/users/${target.id}/roles/${role.id}`, { token, method: "DELETE" })).json()).toEqual({ removed: true })
    expect(await env.IDENTITY_ADMIN.getUserPermissions({ userId: target.id })).toMatchObject({ value: { permissions: [] } })
    await problemOf(await adminCall(`/users/no-such-user/roles/${role.id}`, { token, method: "PUT" }), 404)
    await problemOf(await adminCall(`/users/${target.id}/roles/no-such-role`, { token, method: "PUT" }), 404)
    await problemOf(await adminCall("/users/no-such-user/roles", { token }), 404)

    await vi.waitFor(async () => {
      const { results } = await env.DB.prepare("SELECT actor_type, actor_id, metadata FROM audit_log WHERE user_id = ? AND action = 'admin.action' ORDER BY id")
        .bind(target.id).all<{ actor_type: string; actor_id: string; metadata: string }>()
      expect(results.map((r) => JSON.parse(r.metadata).action)).toEqual(["user_role.assigned", "user_role.removed"])
      for (const row of results) expect(row).toMatchObject({ actor_type: "admin", actor_id: admin.id })
    }, { timeout: 45_000, interval: 250 })
  })
})

describe("The roles claim (scope roles → claim roles, scope_mappings)", () => {
  it("/userinfo releases the names of the user's roles for scope roles", async () => {
    const { token, user } = await signInAdmin(["audit:read"], "openid roles")
    const roles = await env.IDENTITY_ADMIN.listUserRoles({ userId: user.id })
    const names = roles._tag === "Success" ? roles.value.roles.map((r) => r.name) : []
    expect(names).toHaveLength(1)
    const claims = await (await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${token}` } })).json<Record<string, unknown>>()
    expect(claims).toMatchObject({ sub: user.id, roles: names })
  })
})

describe("Admin API — signing keys and the audit log", () => {
  it("lists keys (public metadata only); rotate now makes a new active key, audited with the admin", async () => {
    const { token, user } = await signInAdmin(["keys:read", "keys:write"])
    const before = await (await adminCall("/keys", { token })).json<{ keys: Array<{ kid: string; active: boolean; alg: string }> }>()
    expect(JSON.stringify(before)).not.toMatch(/"d"|private/i)
    const rotated = await adminCall("/keys/rotate", { token, method: "POST" })
    expect(rotated.status).toBe(200)
    const after = await rotated.json<{ keys: Array<{ kid: string; active: boolean; alg: string }> }>()
    const activeBefore = before.keys.filter((k) => k.active).map((k) => k.kid)
    const activeAfter = after.keys.filter((k) => k.active).map((k) => k.kid)
    expect(activeAfter.some((kid) => !activeBefore.includes(kid))).toBe(true)
    await vi.waitFor(async () => {
      const row = await env.DB.prepare("SELECT metadata FROM audit_log WHERE action = 'admin.action' AND actor_id = ?").bind(user.id).first<{ metadata: string }>()
      expect(JSON.parse(row!.metadata)).toMatchObject({ action: "key.rotate", forced: true })
    }, { timeout: 45_000, interval: 250 })
  })

  it("queries the audit trail by client and type, newest first, with a cursor", async () => {
    const { token } = await signInAdmin(["clients:write", "audit:read"])
    const created = await (await adminCall("/clients", { token, method: "POST", body: { clientName: "audited", redirectUris: ["https://rp.test/cb"] } })).json<{ client: { clientId: string } }>()
    const clientId = created.client.clientId
    await adminCall(`/clients/${clientId}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { clientName: "audited 2" } })
    await vi.waitFor(async () => {
      const page = await (await adminCall(`/audit-events?clientId=${clientId}&limit=1`, { token })).json<{ events: Array<{ type: string; actor: { kind: string } }>; nextCursor: string | null }>()
      expect(page.events.map((e) => e.type)).toEqual(["client.updated"])
      expect(page.nextCursor).not.toBeNull()
      const rest = await (await adminCall(`/audit-events?clientId=${clientId}&cursor=${page.nextCursor}`, { token })).json<{ events: Array<{ type: string }> }>()
      expect(rest.events.map((e) => e.type)).toEqual(["client.created"])
    }, { timeout: 45_000, interval: 250 })
    const typed = await (await adminCall(`/audit-events?clientId=${clientId}&type=client.created&from=0`, { token })).json<{ events: Array<{ type: string }> }>()
    expect(typed.events.map((e) => e.type)).toEqual(["client.created"])
    for (const bad of ["from=yesterday", "limit=500", "limit=-1", "to=1e9"]) await problemOf(await adminCall(`/audit-events?${bad}`, { token }), 400)
  })
})

describe("Admin API — OpenAPI document", () => {
  it("is served at /admin/api/openapi.json, OpenAPI 3.1, without a token", async () => {
    const response = await new Browser().request("/admin/api/openapi.json")
    expect(response.status).toBe(200)
    const document = await response.json<{ openapi: string; paths: Record<string, unknown> }>()
    expect(document.openapi).toBe("3.1.0")
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/admin/api/v1/clients", "/admin/api/v1/clients/{clientId}/secret/rotate", "/admin/api/v1/audit-events"]))
  })
})
