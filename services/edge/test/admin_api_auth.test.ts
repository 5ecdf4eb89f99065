/**
 * Admin API authentication and authorization (issue 12 §1, §3): an access
 * token Authrim issued, scope `admin`, and the user's CURRENT permissions.
 * RFC 6750 §3 / RFC 9449 §7.1 challenges; RFC 9457 problems.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { jwtPayload, postForm } from "./support/flows.ts"
import { adminCall, grantRole, problemOf, SETUP_ACTOR, seedAdminClient, signInAdmin, tokensFor } from "./support/admin_flows.ts"

describe("Admin API — authentication (RFC 6750 §3, RFC 9449 §7.1)", () => {
  it("no token: 401 with bare Bearer and DPoP challenges", async () => {
    const response = await adminCall("/clients")
    const problem = await problemOf(response, 401)
    expect(problem.type).toBe("urn:authrim:problem:unauthorized")
    expect(response.headers.get("www-authenticate")).toBe(`Bearer realm="authrim", DPoP realm="authrim"`)
  })

  it("a malformed, forged or unknown token: 401 invalid_token", async () => {
    for (const authorization of ["Bearer not-a-jwt", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Basic abc", "Bearer"]) {
      const response = await adminCall("/clients", { headers: { authorization } })
      await problemOf(response, 401)
      expect(response.headers.get("www-authenticate")).toContain(`error="invalid_token"`)
    }
  })

  it("a revoked token: 401 invalid_token", async () => {
    const { token, client } = await signInAdmin(["admin:read"])
    expect((await adminCall("/clients", { token })).status).toBe(200)
    expect((await postForm("/revoke", { token }, client)).status).toBe(200)
    const response = await adminCall("/clients", { token })
    await problemOf(response, 401)
    expect(response.headers.get("www-authenticate")).toContain(`error="invalid_token"`)
  })

  it("a token without scope admin: 403 insufficient_scope, even for a user holding admin:write", async () => {
    const { token } = await signInAdmin(["admin:write", "admin:read"], "openid profile")
    const response = await adminCall("/clients", { token })
    const problem = await problemOf(response, 403)
    expect(problem.type).toBe("urn:authrim:problem:insufficient-scope")
    expect(response.headers.get("www-authenticate")).toContain(`error="insufficient_scope"`)
    expect(response.headers.get("www-authenticate")).toContain(`scope="admin"`)
  })

  it("a client_credentials token (no end user) is refused", async () => {
    const client = await seedClient({ grantTypes: ["client_credentials"], scope: "admin", redirectUris: [] })
    const issued = await postForm("/token", { grant_type: "client_credentials", scope: "admin" }, client)
    expect(issued.status, await issued.clone().text()).toBe(200)
    const { access_token } = await issued.json<{ access_token: string }>()
    await problemOf(await adminCall("/clients", { token: access_token }), 401)
  })
})

describe("Admin API — scope admin at /authorize (issue 12 §3)", () => {
  it("is granted to a holder of an admin permission and dropped for anyone else", async () => {
    const client = await seedAdminClient()
    const plain = await seedUser()
    const plainTokens = await tokensFor(client, plain, "openid admin")
    expect(plainTokens.scope.split(" ")).not.toContain("admin")
    expect(String(jwtPayload(plainTokens.access_token)["scope"]).split(" ")).toEqual(["openid"])
    await problemOf(await adminCall("/roles", { token: plainTokens.access_token }), 403)

    const admin = await seedUser()
    await grantRole(admin.id, ["audit:read"])
    const adminTokens = await tokensFor(client, admin, "openid admin")
    expect(adminTokens.scope.split(" ")).toContain("admin")
  })
})

describe("Admin API — permissions per route, read on every request", () => {
  it("audit:read alone may read the audit log, not the clients; admin:read reads everything but writes nothing", async () => {
    const auditor = await signInAdmin(["audit:read"])
    expect((await adminCall("/audit-events?limit=1", { token: auditor.token })).status).toBe(200)
    const refused = await adminCall("/clients", { token: auditor.token })
    expect((await problemOf(refused, 403)).detail).toContain("clients:read")

    const reader = await signInAdmin(["admin:read"])
    for (const path of ["/clients", "/roles", "/keys", "/audit-events"]) expect((await adminCall(path, { token: reader.token })).status).toBe(200)
    const write = await adminCall("/roles", { token: reader.token, method: "POST", body: { name: "nope", permissions: [] } })
    expect((await problemOf(write, 403)).detail).toContain("roles:write")
  })

  it("a token carrying permission-named scopes is limited to them (intersection with the user's permissions)", async () => {
    const { token } = await signInAdmin(["admin:read", "admin:write"], "openid admin audit:read")
    expect((await adminCall("/audit-events", { token })).status).toBe(200)
    await problemOf(await adminCall("/clients", { token }), 403)
  })

  it("taking the role away takes effect on the very next request, with the same token", async () => {
    const { token, user, roleId } = await signInAdmin(["roles:read"])
    expect((await adminCall("/roles", { token })).status).toBe(200)
    const removed = await env.IDENTITY_ADMIN.unassignRole({ userId: user.id, roleId: roleId!, actorId: SETUP_ACTOR })
    expect(removed).toMatchObject({ _tag: "Success", value: { removed: true } })
    await problemOf(await adminCall("/roles", { token }), 403)
  })

  it("unknown paths are 404 and wrong methods 405 with Allow, as problems", async () => {
    const { token } = await signInAdmin(["admin:read"])
    expect((await problemOf(await adminCall("/nothing-here", { token }), 404)).type).toBe("urn:authrim:problem:not-found")
    const wrong = await adminCall("/keys", { token, method: "DELETE" })
    await problemOf(wrong, 405)
    expect(wrong.headers.get("allow")).toBe("GET")
  })
})
