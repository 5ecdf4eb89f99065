/**
 * `/admin/api/v1/settings` and `/admin/api/v1/initial-access-tokens` through
 * the edge with the real identity service: the settings document with its
 * version as ETag, PATCH with If-Match (428 / 412 with the current ETag / 400
 * naming the field), `openRegistration` deciding the very next token-less
 * POST /register; initial access tokens created (plaintext once), listed
 * (metadata only), used at /register and revoked; 403 without the
 * permission; audit rows with the admin as actor.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it, vi } from "vitest"
import { Browser } from "./support/browser.ts"
import { registrationSettingsFor } from "../src/registration/registration_policy.ts"
import { adminCall, problemOf, signInAdmin } from "./support/admin_flows.ts"

interface SettingsDocument { version: number; updatedBy: string | null; settings: { openRegistration: boolean; passwordPolicy: { minLength: number } } }

const register = (token?: string) =>
  new Browser().request("/register", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ redirect_uris: ["https://rp.test/cb"], client_name: "Dynamic RP" })
  })

const readSettings = async (token: string) => {
  const response = await adminCall("/settings", { token })
  expect(response.status).toBe(200)
  const document = await response.json<SettingsDocument>()
  expect(response.headers.get("etag")).toBe(`"${document.version}"`)
  return document
}

describe("Admin API — settings", () => {
  it("PATCH openRegistration true → the very next POST /register without a token registers; false → 401", async () => {
    const { token, user } = await signInAdmin(["settings:read", "settings:write"])
    expect((await register()).status).toBe(401)
    const before = await readSettings(token)
    const opened = await adminCall("/settings", { token, method: "PATCH", headers: { "if-match": `"${before.version}"` }, body: { openRegistration: true } })
    expect(opened.status).toBe(200)
    const document = await opened.json<SettingsDocument>()
    expect(document).toMatchObject({ version: before.version + 1, updatedBy: user.id, settings: { openRegistration: true } })
    expect(opened.headers.get("etag")).toBe(`"${document.version}"`)
    expect((await register()).status).toBe(201)
    const closed = await adminCall("/settings", { token, method: "PATCH", headers: { "if-match": `"${document.version}"` }, body: { openRegistration: false } })
    expect(closed.status).toBe(200)
    expect((await register()).status).toBe(401)
    await vi.waitFor(async () => {
      const { results } = await env.DB.prepare("SELECT actor_type, actor_id, metadata FROM audit_log WHERE action = 'admin.action' AND actor_id = ? ORDER BY id")
        .bind(user.id).all<{ actor_type: string; actor_id: string; metadata: string }>()
      expect(results).toHaveLength(2)
      for (const row of results) expect(row.metadata).toContain("settings.updated")
    }, { timeout: 45_000, interval: 250 })
  })

  it("OPEN_REGISTRATION=true is a development override only: ignored in production", () => {
    expect(registrationSettingsFor({ OPEN_REGISTRATION: "true", AUTHRIM_ENV: "development" }).developmentOverride).toBe(true)
    expect(registrationSettingsFor({ OPEN_REGISTRATION: "true", AUTHRIM_ENV: "production" }).developmentOverride).toBe(false)
    expect(registrationSettingsFor({ OPEN_REGISTRATION: "true" }).developmentOverride).toBe(false)
    expect(registrationSettingsFor({ OPEN_REGISTRATION: "false", AUTHRIM_ENV: "development" }).developmentOverride).toBe(false)
  })

  it("If-Match: missing → 428, stale → 412 with the current ETag; bad values → 400 naming the field; nothing written", async () => {
    const { token } = await signInAdmin(["settings:read", "settings:write"])
    const before = await readSettings(token)
    const patch = (body: unknown, headers: Record<string, string> = { "if-match": `"${before.version}"` }) => adminCall("/settings", { token, method: "PATCH", body, headers })
    await problemOf(await patch({ mfaRequired: true }, {}), 428)
    const stale = await patch({ mfaRequired: true }, { "if-match": `"${before.version + 9}"` })
    await problemOf(stale, 412)
    expect(stale.headers.get("etag")).toBe(`"${before.version}"`)
    expect((await problemOf(await patch({ passwordPolicy: { minLength: 4 } }), 400)).errors).toEqual([{ field: "passwordPolicy.minLength", message: expect.any(String) }])
    expect((await problemOf(await patch({ signInMethods: { password: false, passkey: false, magicLink: false, upstream: false } }), 400)).errors?.[0]?.field).toBe("signInMethods")
    expect((await problemOf(await patch({ accessTokenLifetimeSeconds: "3600" }), 400)).errors?.[0]?.field).toBe("accessTokenLifetimeSeconds")
    expect((await problemOf(await patch({ openRegistrations: true }), 400)).errors?.[0]?.field).toBe("openRegistrations")
    expect((await problemOf(await patch("{"), 400)).errors?.[0]?.field).toBe("body")
    expect((await readSettings(token)).version).toBe(before.version)
  })

  it("403: settings:read cannot PATCH; no settings permission cannot read", async () => {
    const reader = await signInAdmin(["settings:read"])
    const before = await readSettings(reader.token)
    await problemOf(await adminCall("/settings", { token: reader.token, method: "PATCH", headers: { "if-match": `"${before.version}"` }, body: { mfaRequired: true } }), 403)
    await problemOf(await adminCall("/settings", { token: (await signInAdmin(["users:read"])).token }), 403)
  })
})

describe("Admin API — initial access tokens", () => {
  interface TokenInfo { id: string; description: string; singleUse: boolean; createdBy: string | null }

  it("create (plaintext once, 201) → register with it; list shows metadata only; revoke 204 → refused; again 404", async () => {
    const { token, user } = await signInAdmin(["clients:read", "clients:write"])
    const created = await adminCall("/initial-access-tokens", { token, method: "POST", body: { description: "partner onboarding", expiresInSeconds: 3600 } })
    expect(created.status).toBe(201)
    const { token: plaintext, info } = await created.json<{ token: string; info: TokenInfo }>()
    expect(plaintext).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(info).toMatchObject({ description: "partner onboarding", singleUse: false, createdBy: user.id })
    expect((await register(plaintext)).status).toBe(201)
    await vi.waitFor(async () => {
      const listed = await adminCall("/initial-access-tokens", { token })
      expect(listed.status).toBe(200)
      const text = await listed.text()
      expect(text).not.toContain(plaintext)
      expect((JSON.parse(text) as { tokens: Array<TokenInfo> }).tokens.map((t) => t.id)).toContain(info.id)
    }, { timeout: 10_000, interval: 100 })
    expect((await adminCall(`/initial-access-tokens/${info.id}`, { token, method: "DELETE" })).status).toBe(204)
    expect((await register(plaintext)).status).toBe(401)
    await problemOf(await adminCall(`/initial-access-tokens/${info.id}`, { token, method: "DELETE" }), 404)
    await problemOf(await adminCall("/initial-access-tokens/no-such-token", { token, method: "DELETE" }), 404)
    await vi.waitFor(async () => {
      const { results } = await env.DB.prepare("SELECT actor_type, metadata FROM audit_log WHERE action = 'admin.action' AND actor_id = ?")
        .bind(user.id).all<{ actor_type: string; metadata: string }>()
      expect(results.length).toBeGreaterThanOrEqual(2)
      for (const row of results) expect(row).toMatchObject({ actor_type: "admin" })
      expect(results.map((r) => r.metadata).join(" ")).not.toContain(plaintext)
    }, { timeout: 45_000, interval: 250 })
  })

  it("ugly inputs → 400 naming the field; 403 for a read-only admin; 401 without a token", async () => {
    const { token } = await signInAdmin(["clients:write"])
    const post = (body: unknown) => adminCall("/initial-access-tokens", { token, method: "POST", body })
    expect((await problemOf(await post({ expiresInSeconds: 10 }), 400)).errors?.[0]?.field).toBe("expiresInSeconds")
    expect((await problemOf(await post({ expiresInSeconds: 8 * 24 * 3600 }), 400)).errors?.[0]?.field).toBe("expiresInSeconds")
    expect((await problemOf(await post({ description: "d".repeat(201) }), 400)).errors?.[0]?.field).toBe("description")
    expect((await problemOf(await post({ singleUse: "yes" }), 400)).errors?.[0]?.field).toBe("singleUse")
    expect((await problemOf(await post({ policy: { grantTypes: "authorization_code" } }), 400)).errors?.[0]?.field).toBe("policy.grantTypes")
    expect((await problemOf(await post({ token: "i-choose" }), 400)).errors?.[0]?.field).toBe("token")
    const reader = await signInAdmin(["clients:read"])
    await problemOf(await adminCall("/initial-access-tokens", { token: reader.token, method: "POST", body: {} }), 403)
    await problemOf(await adminCall("/initial-access-tokens/x", { token: reader.token, method: "DELETE" }), 403)
    await problemOf(await adminCall("/initial-access-tokens", { token: null }), 401)
  })
})
