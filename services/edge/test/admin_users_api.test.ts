/**
 * `/admin/api/v1/users` and the user's `/sessions` and `/consents` through the
 * edge with the real backends: search with cursor pagination, create, read
 * with ETag, update with If-Match (428 / 412 with the current ETag / a race of
 * concurrent writers with one winner), 409 on a taken email, 400 naming the
 * field, profile claims with the admin as editor, disable (sign-in refused,
 * refresh tokens dead) / enable, MFA reset, export, delete (cascade, 204),
 * session and consent revocation (the client's refresh token dies), 403 without
 * the permission, ugly inputs, and the audit rows with the admin as actor.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it, vi } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { postForm } from "./support/flows.ts"
import { adminCall, problemOf, signInAdmin, tokensFor } from "./support/admin_flows.ts"

interface AdminUser { id: string; email: string; name: string | null; emailVerified: boolean; disabled: boolean; version: number }

const refresh = (client: { clientId: string; secret: string | null }, refreshToken: string) =>
  postForm("/token", { grant_type: "refresh_token", refresh_token: refreshToken }, client)

/** A user signed in at a consent-asking client with a refresh token. */
const userWithGrant = async () => {
  const client = await seedClient({ scope: "openid profile offline_access" })
  const user = await seedUser()
  const tokens = await tokensFor(client, user, "openid offline_access")
  expect(tokens.refresh_token).toBeTruthy()
  return { client, user, refreshToken: tokens.refresh_token! }
}

const auditRows = (userId: string, action: string) =>
  env.DB.prepare("SELECT action, actor_type, actor_id, metadata FROM audit_log WHERE user_id = ? AND action = ? ORDER BY id")
    .bind(userId, action).all<{ action: string; actor_type: string; actor_id: string; metadata: string }>().then((r) => r.results)

describe("Admin API — users", () => {
  it("create → 201 with ETag; read detail; search by email prefix / name / id with cursor pages", async () => {
    const { token } = await signInAdmin(["users:read", "users:write"])
    const tag = crypto.randomUUID().slice(0, 8)
    const created: Array<AdminUser> = []
    for (let i = 0; i < 3; i++) {
      const response = await adminCall("/users", { token, method: "POST", body: { email: `pager-${tag}-${i}@example.test`, name: `Pager ${tag} ${i}`, emailVerified: true } })
      expect(response.status).toBe(201)
      const user = await response.json<AdminUser>()
      expect(response.headers.get("etag")).toBe(`"${user.version}"`)
      created.push(user)
    }
    const detail = await adminCall(`/users/${created[0]!.id}`, { token })
    expect(detail.status).toBe(200)
    expect(detail.headers.get("etag")).toBe(`"${created[0]!.version}"`)
    expect(await detail.json()).toMatchObject({ user: { id: created[0]!.id }, hasPassword: false, passkeyCount: 0, totpEnabled: false, roles: [] })

    const first = await (await adminCall(`/users?email=${encodeURIComponent(`PAGER-${tag}`)}&limit=2`, { token })).json<{ users: Array<AdminUser>; nextCursor: string | null }>()
    expect(first.users.map((u) => u.email)).toEqual([`pager-${tag}-0@example.test`, `pager-${tag}-1@example.test`])
    expect(first.nextCursor).not.toBeNull()
    const second = await (await adminCall(`/users?email=pager-${tag}&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`, { token })).json<{ users: Array<AdminUser>; nextCursor: string | null }>()
    expect(second).toEqual({ users: [expect.objectContaining({ email: `pager-${tag}-2@example.test` })], nextCursor: null })
    const byName = await (await adminCall(`/users?name=${encodeURIComponent(`pager ${tag} 1`)}`, { token })).json<{ users: Array<AdminUser> }>()
    expect(byName.users.map((u) => u.id)).toEqual([created[1]!.id])
    const byId = await (await adminCall(`/users?id=${created[2]!.id}`, { token })).json<{ users: Array<AdminUser> }>()
    expect(byId.users.map((u) => u.id)).toEqual([created[2]!.id])
    // A cursor from another filter, or garbage, is 400 naming `cursor`; limit beyond 100 is 400.
    expect((await problemOf(await adminCall(`/users?name=x&cursor=${encodeURIComponent(first.nextCursor!)}`, { token }), 400)).errors?.[0]?.field).toBe("cursor")
    expect((await problemOf(await adminCall("/users?cursor=%00garbage", { token }), 400)).errors?.[0]?.field).toBe("cursor")
    expect((await problemOf(await adminCall("/users?limit=101", { token }), 400)).errors?.[0]?.field).toBe("limit")
    expect((await problemOf(await adminCall(`/users?email=${"a".repeat(400)}`, { token }), 400)).errors?.[0]?.field).toBe("email")
    await problemOf(await adminCall("/users?unknown=1", { token }), 400)
    await problemOf(await adminCall("/users/no-such-user", { token }), 404)
  })

  it("update: If-Match required (428), stale → 412 with the current ETag, taken email → 409, bad email → 400 naming it", async () => {
    const { token } = await signInAdmin(["users:read", "users:write"])
    const target = await seedUser()
    const other = await seedUser()
    const { user } = await (await adminCall(`/users/${target.id}`, { token })).json<{ user: AdminUser }>()
    const path = `/users/${target.id}`
    await problemOf(await adminCall(path, { token, method: "PATCH", body: { name: "x" } }), 428)
    const stale = await adminCall(path, { token, method: "PATCH", headers: { "if-match": `"${user.version + 5}"` }, body: { name: "x" } })
    await problemOf(stale, 412)
    expect(stale.headers.get("etag")).toBe(`"${user.version}"`)
    const taken = await problemOf(await adminCall(path, { token, method: "PATCH", headers: { "if-match": `"${user.version}"` }, body: { email: other.email.toUpperCase() } }), 409)
    expect(taken.errors?.[0]?.field).toBe("email")
    const bad = await problemOf(await adminCall(path, { token, method: "PATCH", headers: { "if-match": `"${user.version}"` }, body: { email: "not an address" } }), 400)
    expect(bad.errors?.[0]?.field).toBe("email")
    const ok = await adminCall(path, { token, method: "PATCH", headers: { "if-match": `"${user.version}"` }, body: { name: "Renamed", emailVerified: false } })
    expect(ok.status).toBe(200)
    const updated = await ok.json<AdminUser>()
    expect(updated).toMatchObject({ name: "Renamed", emailVerified: false, email: target.email })
    expect(ok.headers.get("etag")).toBe(`"${updated.version}"`)
    expect(updated.version).toBeGreaterThan(user.version)
    await problemOf(await adminCall("/users/no-such-user", { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { name: "x" } }), 404)
  })

  it("RACE: 20 concurrent PATCHes with the same If-Match → exactly one 200, the rest 412", async () => {
    const { token } = await signInAdmin(["users:read", "users:write"])
    const target = await seedUser()
    const { user } = await (await adminCall(`/users/${target.id}`, { token })).json<{ user: AdminUser }>()
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      adminCall(`/users/${target.id}`, { token, method: "PATCH", headers: { "if-match": `"${user.version}"` }, body: { name: `writer ${i}` } })))
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 412)).toHaveLength(19)
    const winner = await responses[statuses.indexOf(200)]!.json<AdminUser>()
    const { user: after } = await (await adminCall(`/users/${target.id}`, { token })).json<{ user: AdminUser }>()
    expect(after).toMatchObject({ name: winner.name, version: winner.version })
  })

  it("ugly bodies: bad JSON, wrong types, unknown fields, overlong strings → 400 naming the field; non-JSON 415", async () => {
    const { token } = await signInAdmin(["users:write"])
    const post = (body: unknown, headers: Record<string, string> = {}) => adminCall("/users", { token, method: "POST", body, headers })
    expect((await problemOf(await post("{nope"), 400)).errors).toEqual([{ field: "body", message: "not valid JSON" }])
    expect((await problemOf(await post({ email: 7, emailVerified: "yes" }), 400)).errors?.map((e) => e.field).sort()).toEqual(["email", "emailVerified"])
    expect((await problemOf(await post({ email: "a@example.test", role: "admin" }), 400)).errors?.[0]?.field).toBe("role")
    expect((await problemOf(await post({ email: "a@example.test", name: "n".repeat(201) }), 400)).errors?.[0]?.field).toBe("name")
    expect((await problemOf(await post({ email: `${crypto.randomUUID()}@example.test`, password: "short" }), 400)).errors?.[0]?.field).toBe("password")
    await problemOf(await post({ email: "a@example.test" }, { "content-type": "text/plain" }), 415)
    const target = await seedUser()
    expect((await problemOf(await adminCall(`/users/${target.id}/profile`, { token, method: "PATCH", body: { birthdate: 19900101 } }), 400)).errors?.[0]?.field).toBe("birthdate")
    expect((await problemOf(await adminCall(`/users/${target.id}/profile`, { token, method: "PATCH", body: { website: "javascript:alert(1)" } }), 400)).errors?.[0]?.field).toBe("website")
    expect((await problemOf(await adminCall(`/users/${target.id}/profile`, { token, method: "PATCH", body: { birthdate: "1990-13-45" } }), 400)).errors?.[0]?.field).toBe("birthdate")
    await problemOf(await adminCall("/users/%E0%A4%A", { token }), 400)
  })

  it("403 without the permission (read-only admin cannot write; no users permission cannot read)", async () => {
    const reader = await signInAdmin(["users:read"])
    const target = await seedUser()
    await problemOf(await adminCall("/users", { token: reader.token, method: "POST", body: { email: "x@example.test" } }), 403)
    await problemOf(await adminCall(`/users/${target.id}/disable`, { token: reader.token, method: "POST" }), 403)
    await problemOf(await adminCall(`/users/${target.id}/sessions`, { token: reader.token, method: "DELETE" }), 403)
    await problemOf(await adminCall(`/users/${target.id}/consents/any`, { token: reader.token, method: "DELETE" }), 403)
    const stranger = await signInAdmin(["clients:read"])
    await problemOf(await adminCall("/users", { token: stranger.token }), 403)
    await problemOf(await adminCall(`/users/${target.id}/export`, { token: stranger.token }), 403)
    await problemOf(await adminCall("/users", { token: null }), 401)
  })

  it("profile claims: PATCH as the admin, audited as profile.updated with the admin as actor", async () => {
    const { token, user: admin } = await signInAdmin(["users:read", "users:write"])
    const target = await seedUser()
    const patched = await adminCall(`/users/${target.id}/profile`, { token, method: "PATCH", body: { given_name: "Ada", phone_number: "+81312345678", phone_number_verified: true } })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({ given_name: "Ada", phone_number: "+81312345678", phone_number_verified: true })
    expect(await (await adminCall(`/users/${target.id}/profile`, { token })).json()).toMatchObject({ given_name: "Ada" })
    await problemOf(await adminCall("/users/no-such-user/profile", { token, method: "PATCH", body: { given_name: "x" } }), 404)
    await vi.waitFor(async () => {
      const rows = await auditRows(target.id, "profile.updated")
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ actor_type: "admin", actor_id: admin.id })
    }, { timeout: 45_000, interval: 250 })
  })

  it("disable: refresh token dead, sessions gone (idempotent); enable: signs in again; audited", async () => {
    const { token, user: admin } = await signInAdmin(["users:read", "users:write"])
    const { client, user, refreshToken } = await userWithGrant()
    const disabled = await adminCall(`/users/${user.id}/disable`, { token, method: "POST" })
    expect(disabled.status).toBe(200)
    expect(await disabled.json()).toMatchObject({ user: { disabled: true }, changed: true })
    expect(await (await adminCall(`/users/${user.id}/disable`, { token, method: "POST" })).json()).toMatchObject({ changed: false })
    expect((await refresh(client, refreshToken)).status).toBe(400)
    expect(await (await adminCall(`/users/${user.id}/sessions`, { token })).json()).toEqual({ sessions: [] })
    const enabled = await adminCall(`/users/${user.id}/enable`, { token, method: "POST" })
    expect(await enabled.json()).toMatchObject({ user: { disabled: false }, changed: true })
    expect((await tokensFor(client, user, "openid")).access_token).toBeTruthy()
    await problemOf(await adminCall("/users/no-such-user/disable", { token, method: "POST" }), 404)
    await vi.waitFor(async () => {
      const rows = await auditRows(user.id, "admin.action")
      expect(rows.length).toBeGreaterThanOrEqual(2)
      for (const row of rows) expect(row).toMatchObject({ actor_type: "admin", actor_id: admin.id })
    }, { timeout: 45_000, interval: 250 })
  })

  it("export (GDPR): the user, consents and live sessions, no credential; reset MFA answers removed:false without TOTP", async () => {
    const { token } = await signInAdmin(["users:read", "users:write"])
    const { client, user } = await userWithGrant()
    const exported = await adminCall(`/users/${user.id}/export`, { token })
    expect(exported.status).toBe(200)
    const body = await exported.json<{ user: AdminUser; consents: Array<{ clientId: string }>; sessions: Array<{ userId: string }>; hasPassword: boolean }>()
    expect(body).toMatchObject({ user: { id: user.id }, hasPassword: true })
    expect(body.consents.map((c) => c.clientId)).toEqual([client.clientId])
    expect(body.sessions.length).toBeGreaterThanOrEqual(1)
    expect(JSON.stringify(body)).not.toContain(user.password)
    expect(await (await adminCall(`/users/${user.id}/mfa/reset`, { token, method: "POST" })).json()).toEqual({ removed: false })
    await problemOf(await adminCall("/users/no-such-user/export", { token }), 404)
    await problemOf(await adminCall("/users/no-such-user/mfa/reset", { token, method: "POST" }), 404)
  })

  it("delete: If-Match checked, cascade (refresh token dead, user gone), 204; then 404", async () => {
    const { token } = await signInAdmin(["users:read", "users:write"])
    const { client, user, refreshToken } = await userWithGrant()
    const { user: read } = await (await adminCall(`/users/${user.id}`, { token })).json<{ user: AdminUser }>()
    await problemOf(await adminCall(`/users/${user.id}`, { token, method: "DELETE" }), 428)
    await problemOf(await adminCall(`/users/${user.id}`, { token, method: "DELETE", headers: { "if-match": `"${read.version + 1}"` } }), 412)
    const deleted = await adminCall(`/users/${user.id}`, { token, method: "DELETE", headers: { "if-match": `"${read.version}"` } })
    expect(deleted.status).toBe(204)
    expect((await refresh(client, refreshToken)).status).toBe(400)
    await problemOf(await adminCall(`/users/${user.id}`, { token }), 404)
    await problemOf(await adminCall(`/users/${user.id}`, { token, method: "DELETE", headers: { "if-match": `"${read.version}"` } }), 404)
  })
})

describe("Admin API — user delete If-Match is atomic", () => {
  it("20 concurrent DELETEs with one version: exactly one 204, the rest 412 or 404; nothing of the user left", async () => {
    const { token } = await signInAdmin(["users:read", "users:write"])
    const { client, user, refreshToken } = await userWithGrant()
    const { user: read } = await (await adminCall(`/users/${user.id}`, { token })).json<{ user: AdminUser }>()
    const statuses = await Promise.all(Array.from({ length: 20 }, () =>
      adminCall(`/users/${user.id}`, { token, method: "DELETE", headers: { "if-match": `"${read.version}"` } }).then((r) => r.status)))
    expect(statuses.filter((s) => s === 204)).toHaveLength(1)
    // A loser that read the user before the winner's batch: 412 (identity's guarded batch deleted nothing); after it: 404.
    for (const status of statuses.filter((s) => s !== 204)) expect([404, 412]).toContain(status)
    expect((await refresh(client, refreshToken)).status).toBe(400)
    const left = await env.DB.prepare(
      `SELECT (SELECT COUNT(*) FROM users WHERE id = ?1) + (SELECT COUNT(*) FROM oauth_client_consents WHERE user_id = ?1) AS n`
    ).bind(user.id).first<{ n: number }>()
    expect(left?.n).toBe(0)
  })

  it("a version changed by an update: 412 and the user keeps every row (no half delete)", async () => {
    const { token } = await signInAdmin(["users:read", "users:write"])
    const { user } = await userWithGrant()
    const { user: read } = await (await adminCall(`/users/${user.id}`, { token })).json<{ user: AdminUser }>()
    await adminCall(`/users/${user.id}`, { token, method: "PATCH", headers: { "if-match": `"${read.version}"` }, body: { name: "Renamed" } })
    const stale = await adminCall(`/users/${user.id}`, { token, method: "DELETE", headers: { "if-match": `"${read.version}"` } })
    await problemOf(stale, 412)
    expect(stale.headers.get("etag")).toBe(`"${read.version + 1}"`)
    const consents = await env.DB.prepare("SELECT COUNT(*) AS n FROM oauth_client_consents WHERE user_id = ?").bind(user.id).first<{ n: number }>()
    expect(consents?.n).toBe(1)
  })
})

describe("Admin API — a user's sessions and consents", () => {
  it("list, revoke one (another user's session is 404), revoke all; audited with the admin as actor", async () => {
    const { token, user: admin } = await signInAdmin(["users:read", "users:write"])
    const { client, user } = await userWithGrant()
    await tokensFor(client, user, "openid")
    const { sessions } = await (await adminCall(`/users/${user.id}/sessions`, { token })).json<{ sessions: Array<{ id: string; userId: string }> }>()
    expect(sessions).toHaveLength(2)
    const otherUser = await userWithGrant()
    await problemOf(await adminCall(`/users/${otherUser.user.id}/sessions/${sessions[0]!.id}`, { token, method: "DELETE" }), 404)
    await problemOf(await adminCall(`/users/${user.id}/sessions/not-a-session`, { token, method: "DELETE" }), 404)
    expect((await adminCall(`/users/${user.id}/sessions/${sessions[0]!.id}`, { token, method: "DELETE" })).status).toBe(204)
    const left = await (await adminCall(`/users/${user.id}/sessions`, { token })).json<{ sessions: Array<{ id: string }> }>()
    expect(left.sessions.map((s) => s.id)).toEqual([sessions[1]!.id])
    expect(await (await adminCall(`/users/${user.id}/sessions`, { token, method: "DELETE" })).json()).toEqual({ revoked: 1 })
    expect(await (await adminCall(`/users/${user.id}/sessions`, { token })).json()).toEqual({ sessions: [] })
    await problemOf(await adminCall("/users/no-such-user/sessions", { token }), 404)
    await problemOf(await adminCall("/users/no-such-user/sessions", { token, method: "DELETE" }), 404)
    await vi.waitFor(async () => {
      const rows = await auditRows(user.id, "admin.action")
      const operations = rows.map((r) => JSON.parse(r.metadata) as Record<string, unknown>)
      expect(JSON.stringify(operations)).toContain("session.revoked")
      expect(JSON.stringify(operations)).toContain("sessions.revoked_all")
      for (const row of rows) expect(row).toMatchObject({ actor_type: "admin", actor_id: admin.id })
    }, { timeout: 45_000, interval: 250 })
  })

  it("consents: list, revoke → that client's refresh token dies, consent.revoked audited; again → 404", async () => {
    const { token, user: admin } = await signInAdmin(["users:read", "users:write"])
    const { client, user, refreshToken } = await userWithGrant()
    const listed = await (await adminCall(`/users/${user.id}/consents`, { token })).json<{ consents: Array<{ clientId: string; scopes: Array<string> }> }>()
    expect(listed.consents.map((c) => c.clientId)).toEqual([client.clientId])
    const revoked = await adminCall(`/users/${user.id}/consents/${encodeURIComponent(client.clientId)}`, { token, method: "DELETE" })
    expect(revoked.status).toBe(200)
    expect(await revoked.json()).toEqual({ revoked: true, refreshFamiliesRevoked: 1 })
    expect((await refresh(client, refreshToken)).status).toBe(400)
    expect(await (await adminCall(`/users/${user.id}/consents`, { token })).json()).toEqual({ consents: [] })
    await problemOf(await adminCall(`/users/${user.id}/consents/${encodeURIComponent(client.clientId)}`, { token, method: "DELETE" }), 404)
    await problemOf(await adminCall("/users/no-such-user/consents", { token }), 404)
    await vi.waitFor(async () => {
      const rows = await auditRows(user.id, "consent.revoked")
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ actor_type: "admin", actor_id: admin.id })
    }, { timeout: 45_000, interval: 250 })
  })
})
