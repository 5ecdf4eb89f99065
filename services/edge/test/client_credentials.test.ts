import { decodeJwt } from "jose"
import { describe, expect, it } from "vitest"
import { seedClient } from "./support/fixtures.ts"
import { postForm } from "./support/flows.ts"

/** A confidential machine client (client_secret_basic). */
const machineClient = (scope = "openid profile email offline_access") =>
  seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope })

const expectError = async (response: Response, status: number, code: string) => {
  expect(response.status).toBe(status)
  expect((await response.json<{ error: string }>()).error).toBe(code)
}

describe("client_credentials grant — RFC 6749 §4.4", () => {
  it("issues an access token for the client itself: sub = client_id, no ID token, no refresh token", async () => {
    const client = await machineClient()
    const response = await postForm("/token", { grant_type: "client_credentials" }, client)
    expect(response.status).toBe(200)
    expect(response.headers.get("cache-control")).toBe("no-store")
    const body = await response.json<Record<string, unknown>>()
    expect(body.token_type).toBe("Bearer")
    expect(body.expires_in).toBe(3600)
    expect(body).not.toHaveProperty("id_token")
    expect(body).not.toHaveProperty("refresh_token")
    const claims = decodeJwt(String(body.access_token))
    expect(claims.sub).toBe(client.clientId)
    expect(claims.client_id).toBe(client.clientId)
    expect(claims).not.toHaveProperty("auth_time")
  })

  it("without scope, grants the client's registered scopes minus openid and offline_access", async () => {
    const client = await machineClient("openid profile email offline_access")
    const body = await (await postForm("/token", { grant_type: "client_credentials" }, client)).json<{ scope: string; access_token: string }>()
    expect(body.scope).toBe("profile email")
    expect(decodeJwt(body.access_token).scope).toBe("profile email")
  })

  it("a requested subset of the registered scopes is granted as asked", async () => {
    const client = await machineClient()
    const body = await (await postForm("/token", { grant_type: "client_credentials", scope: "email" }, client)).json<{ scope: string }>()
    expect(body.scope).toBe("email")
  })

  it("openid, offline_access and unregistered scopes are dropped; nothing grantable or a malformed scope is invalid_scope", async () => {
    const client = await machineClient("openid profile email offline_access")
    const body = await (await postForm("/token", { grant_type: "client_credentials", scope: "email offline_access phone email" }, client))
      .json<{ scope: string; access_token: string }>()
    expect(body.scope).toBe("email")
    expect(decodeJwt(body.access_token).scope).toBe("email")
    for (const scope of ["openid", "offline_access phone", "phone"]) {
      await expectError(await postForm("/token", { grant_type: "client_credentials", scope }, client), 400, "invalid_scope")
    }
    for (const scope of [" email", "email  profile", "em\"ail"]) {
      await expectError(await postForm("/token", { grant_type: "client_credentials", scope }, client), 400, "invalid_scope")
    }
  })

  it("a public client is unauthorized_client, even when registered for the grant", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "none", grantTypes: ["client_credentials"], redirectUris: [] })
    await expectError(await postForm("/token", { grant_type: "client_credentials", client_id: client.clientId }), 400, "unauthorized_client")
  })

  it("a client not registered for client_credentials is unauthorized_client", async () => {
    const client = await seedClient()
    await expectError(await postForm("/token", { grant_type: "client_credentials" }, client), 400, "unauthorized_client")
  })

  it("the token introspects as active for its client (RFC 7662)", async () => {
    const client = await machineClient()
    const { access_token } = await (await postForm("/token", { grant_type: "client_credentials" }, client)).json<{ access_token: string }>()
    const introspection = await (await postForm("/introspect", { token: access_token }, client)).json<Record<string, unknown>>()
    expect(introspection.active).toBe(true)
    expect(introspection.sub).toBe(client.clientId)
    expect(introspection.client_id).toBe(client.clientId)
  })
})
