/**
 * Unknown scope values are ignored, not refused (OIDC Core §3.1.2.1 SHOULD):
 * a value the client is not registered for is dropped from the grant at
 * /authorize, /par, /device_authorization and client_credentials, and the
 * token response names the granted scope (RFC 6749 §5.1). A malformed
 * scope-token and a missing `openid` stay `invalid_scope`.
 */
import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedClient } from "./support/fixtures.ts"
import { authorizeUrl, jwtPayload, obtainTokens, postForm } from "./support/flows.ts"

const redirectError = (response: Response) => {
  expect(response.status).toBe(303)
  return new URL(response.headers.get("location")!).searchParams.get("error")
}

describe("scope narrowing — OIDC Core §3.1.2.1, RFC 6749 §3.3 / §5.1", () => {
  it("drops unknown and unregistered scopes at /authorize and names the granted scope in the token response", async () => {
    const client = await seedClient({ scope: "openid profile offline_access" })
    const { user, tokens } = await obtainTokens(client, { scope: "openid email no:such:scope profile profile urn:x" })
    expect(tokens.scope).toBe("openid profile")
    expect(jwtPayload(tokens.access_token).scope).toBe("openid profile")
    expect(jwtPayload(tokens.id_token!).sub).toBe(user.id)
    const userinfo = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } })
    const claims = await userinfo.json<Record<string, unknown>>()
    expect(claims.sub).toBe(user.id)
    expect(claims).not.toHaveProperty("email")
  })

  it("an exactly granted request still answers its scope", async () => {
    const client = await seedClient({ scope: "openid profile" })
    const { tokens } = await obtainTokens(client, { scope: "openid profile" })
    expect(tokens.scope).toBe("openid profile")
  })

  it("keeps invalid_scope for a missing openid and for malformed scope-tokens (ugly inputs)", async () => {
    const client = await seedClient({ scope: "openid profile" })
    for (const scope of ["profile unknown", "   ", "openid pro\"file", "openid \u00e9", "openid a\\b", "openid\ttab"]) {
      const error = redirectError(await new Browser().request(authorizeUrl(client.clientId, { scope })))
      expect([scope, error]).toEqual([scope, "invalid_scope"])
    }
    // An empty parameter counts as absent (RFC 6749 §3.1): scope is then missing.
    expect(redirectError(await new Browser().request(authorizeUrl(client.clientId, { scope: "" })))).toBe("invalid_request")
  })

  it("the device flow drops what the client may not request; nothing grantable is invalid_scope", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "none", grantTypes: ["urn:ietf:params:oauth:grant-type:device_code"], scope: "openid profile" })
    const ok = await postForm("/device_authorization", { client_id: client.clientId, scope: "openid admin profile nope" })
    expect(ok.status).toBe(200)
    const refused = await postForm("/device_authorization", { client_id: client.clientId, scope: "admin nope" })
    expect(refused.status).toBe(400)
    expect((await refused.json<{ error: string }>()).error).toBe("invalid_scope")
    const malformed = await postForm("/device_authorization", { client_id: client.clientId, scope: "openid \"x\"" })
    expect((await malformed.json<{ error: string }>()).error).toBe("invalid_scope")
  })
})
