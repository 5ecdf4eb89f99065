/**
 * Issue 12: a deleted client's tokens stop working, through the edge with the
 * real backends. Admin API delete: the client's access token is refused at
 * /userinfo and at the admin API (its admin token), its refresh family is
 * revoked in tokens (introspection inactive) and refresh fails; another
 * client's tokens of the same user are untouched. RFC 7592 DELETE: the access
 * token the client got by client_credentials is no longer verified.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it, vi } from "vitest"
import worker from "../src/index.ts"
import { Browser } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { basicAuth, postForm } from "./support/flows.ts"
import { adminCall, grantRole, seedAdminClient, signInAdmin, tokensFor } from "./support/admin_flows.ts"

const ISSUER = "https://op.test"

const userinfo = (accessToken: string) =>
  new Browser().request("/userinfo", { headers: { authorization: `Bearer ${accessToken}` } })

describe("A deleted client's tokens", () => {
  it("admin API delete: access token refused at /userinfo, refresh family revoked; another client's tokens live on", async () => {
    const { token: adminToken } = await signInAdmin(["clients:read", "clients:write"])
    const doomed = await seedClient({ skipConsent: true, scope: "openid profile offline_access" })
    const kept = await seedClient({ skipConsent: true, scope: "openid profile offline_access" })
    const user = await seedUser()
    const doomedTokens = await tokensFor(doomed, user, "openid offline_access")
    const keptTokens = await tokensFor(kept, user, "openid offline_access")
    expect((await userinfo(doomedTokens.access_token)).status).toBe(200)

    const deleted = await adminCall(`/clients/${doomed.clientId}`, { token: adminToken, method: "DELETE", headers: { "if-match": `"1"` } })
    expect(deleted.status).toBe(204)

    const refused = await userinfo(doomedTokens.access_token)
    expect(refused.status).toBe(401)
    expect(refused.headers.get("www-authenticate")).toContain("invalid_token")
    const verified = await env.TOKENS.verifyAccessToken({ issuer: ISSUER, token: doomedTokens.access_token })
    expect(verified._tag).toBe("Failure")
    const family = await env.TOKENS.introspect({ issuer: ISSUER, token: doomedTokens.refresh_token!, tokenTypeHint: null, clientId: doomed.clientId })
    expect(family).toMatchObject({ _tag: "Success", value: { active: false } })
    expect((await postForm("/token", { grant_type: "refresh_token", refresh_token: doomedTokens.refresh_token! }, doomed)).status).toBeGreaterThanOrEqual(400)

    expect((await userinfo(keptTokens.access_token)).status).toBe(200)
    expect((await postForm("/token", { grant_type: "refresh_token", refresh_token: keptTokens.refresh_token! }, kept)).status).toBe(200)
    // One token.revoked (actor system, reason client_deleted) beside identity's client.deleted.
    await vi.waitFor(async () => {
      const row = await env.DB.prepare("SELECT actor_type, metadata FROM audit_log WHERE client_id = ? AND action = 'token.revoked'")
        .bind(doomed.clientId).first<{ actor_type: string; metadata: string }>()
      expect(row?.actor_type).toBe("system")
      expect(JSON.parse(row!.metadata)).toMatchObject({ reason: "client_deleted", families_revoked: 1 })
    }, { timeout: 45_000, interval: 250 })
  })

  it("the admin API refuses an admin token of a deleted client (401), and a retried delete (404) still revokes", async () => {
    const { token: adminToken } = await signInAdmin(["clients:read", "clients:write"])
    const consoleClient = await seedAdminClient()
    const other = await seedUser()
    await grantRole(other.id, ["clients:read"])
    const otherTokens = await tokensFor(consoleClient, other, "openid admin")
    expect((await adminCall("/clients", { token: otherTokens.access_token })).status).toBe(200)
    expect((await adminCall(`/clients/${consoleClient.clientId}`, { token: adminToken, method: "DELETE", headers: { "if-match": `"1"` } })).status).toBe(204)
    expect((await adminCall("/clients", { token: otherTokens.access_token })).status).toBe(401)
    expect((await adminCall(`/clients/${consoleClient.clientId}`, { token: adminToken, method: "DELETE", headers: { "if-match": `"1"` } })).status).toBe(404)
  })

  it("RFC 7592 DELETE: the client's client_credentials access token is no longer verified", async () => {
    const created = await env.IDENTITY_ADMIN.createInitialAccessToken({ adminUserId: "admin-test" })
    if (created._tag !== "Success") throw new Error("no initial access token")
    const registration = await worker.fetch(new Request(`${ISSUER}/register`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${created.value.token}` },
      body: JSON.stringify({ grant_types: ["client_credentials"], response_types: [], scope: "profile" })
    }), env)
    expect(registration.status).toBe(201)
    const client = await registration.json<{ client_id: string; client_secret: string; registration_access_token: string; registration_client_uri: string }>()
    const issued = await worker.fetch(new Request(`${ISSUER}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.client_id, client.client_secret) },
      body: "grant_type=client_credentials"
    }), env)
    expect(issued.status).toBe(200)
    const { access_token } = await issued.json<{ access_token: string }>()
    expect((await env.TOKENS.verifyAccessToken({ issuer: ISSUER, token: access_token }))._tag).toBe("Success")
    const uri = new URL(client.registration_client_uri)
    const deleted = await worker.fetch(new Request(`${ISSUER}${uri.pathname}${uri.search}`, {
      method: "DELETE", headers: { authorization: `Bearer ${client.registration_access_token}` }
    }), env)
    expect(deleted.status).toBe(204)
    expect((await env.TOKENS.verifyAccessToken({ issuer: ISSUER, token: access_token }))._tag).toBe("Failure")
  })
})
