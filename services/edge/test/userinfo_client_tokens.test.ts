import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { postForm } from "./support/flows.ts"

/** A confidential machine client (client_secret_basic). */
const machineClient = () => seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "openid profile email" })

const userinfoWith = (token: string) => new Browser().request("/userinfo", { headers: { authorization: `Bearer ${token}` } })

/** A 401 invalid_token with its RFC 6750 §3 challenge. */
const expectInvalidToken = async (response: Response) => {
  expect(response.status).toBe(401)
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/)
  expect((await response.json<{ error: string }>()).error).toBe("invalid_token")
}

describe("userinfo refuses tokens with no end user — OIDC Core §5.3, RFC 6750 §3.1", () => {
  it("a client_credentials token (sub = client_id) is invalid_token (401), not a user's claims", async () => {
    const client = await machineClient()
    const issued = await postForm("/token", { grant_type: "client_credentials" }, client)
    expect(issued.status).toBe(200)
    const { access_token } = await issued.json<{ access_token: string }>()
    await expectInvalidToken(await userinfoWith(access_token))
  })

  it("even with openid and a client_id equal to a user's id, it never yields that user's claims", async () => {
    // Minted straight by the tokens service: the edge would not grant openid to client_credentials.
    const user = await seedUser()
    const client = await seedClient({ clientId: user.id, grantTypes: ["client_credentials"], redirectUris: [], scope: "openid profile" })
    const minted = await env.TOKENS.clientCredentials({ issuer: ORIGIN, clientId: client.clientId, scope: "openid profile" })
    if (minted._tag !== "Success") throw new Error("tokens service refused to mint")
    await expectInvalidToken(await userinfoWith(minted.value.access_token))
  })
})
