import { describe, expect, it } from "vitest"
import { seedClient } from "./support/fixtures.ts"
import { obtainTokens, postForm } from "./support/flows.ts"

describe("Revocation — RFC 7009 and introspection — RFC 7662", () => {
  it("an access token is active, then inactive after revocation", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, tokens } = await obtainTokens(client)
    const active = await postForm("/introspect", { token: tokens.access_token }, client)
    expect(active.status).toBe(200)
    expect(active.headers.get("cache-control")).toBe("no-store")
    expect(await active.json()).toMatchObject({ active: true, sub: user.id, client_id: client.clientId })
    const revoked = await postForm("/revoke", { token: tokens.access_token, token_type_hint: "access_token" }, client)
    expect(revoked.status).toBe(200)
    expect(await (await postForm("/introspect", { token: tokens.access_token }, client)).json()).toEqual({ active: false })
  })

  it("a revoked refresh token can no longer be used", async () => {
    const client = await seedClient({ skipConsent: true })
    // offline_access: a refresh token is issued only when it is granted (issue 9 §2).
    const { tokens } = await obtainTokens(client, { scope: "openid profile email offline_access" })
    expect(tokens.refresh_token).toMatch(/^rt_/)
    expect((await postForm("/revoke", { token: tokens.refresh_token! }, client)).status).toBe(200)
    const refresh = await postForm("/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }, client)
    expect(refresh.status).toBe(400)
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant" })
  })

  it("revoking an unknown token still answers 200 (§2.2)", async () => {
    const client = await seedClient()
    expect((await postForm("/revoke", { token: "never-issued" }, client)).status).toBe(200)
  })

  it("an unknown token_type_hint is unsupported_token_type at /revoke and ignored at /introspect", async () => {
    const client = await seedClient()
    const revoke = await postForm("/revoke", { token: "x", token_type_hint: "id_token" }, client)
    expect(revoke.status).toBe(400)
    expect(await revoke.json()).toMatchObject({ error: "unsupported_token_type" })
    const introspect = await postForm("/introspect", { token: "x", token_type_hint: "id_token" }, client)
    expect(await introspect.json()).toEqual({ active: false })
  })

  it("both endpoints require client authentication and a token", async () => {
    const client = await seedClient()
    for (const path of ["/revoke", "/introspect"]) {
      const anonymous = await postForm(path, { token: "x" })
      expect(anonymous.status).toBe(401)
      expect(await anonymous.json()).toMatchObject({ error: "invalid_client" })
      const missing = await postForm(path, {}, client)
      expect(missing.status).toBe(400)
      expect(await missing.json()).toMatchObject({ error: "invalid_request" })
    }
  })
})
