/**
 * Issue 12 §5: an updated client is seen by the very next request through the
 * edge (DESIGN §2 CLIENTS: "invalidated on every client change"). Locally every
 * worker is one isolate, so this is exact here; what it means in production is
 * in services/identity/storage-schema.md ("Client cache invalidation").
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { forgetClientAuth } from "../src/token_endpoint/client_auth_cache.ts"
import { Browser } from "./support/browser.ts"
import { seedClient } from "./support/fixtures.ts"
import { authorizeUrl, postForm } from "./support/flows.ts"

const upsert = async (input: Parameters<typeof env.IDENTITY_SEED.upsertClient>[0]) => {
  const result = await env.IDENTITY_SEED.upsertClient(input)
  if (result._tag !== "Success") throw new Error(JSON.stringify(result.error))
  return result.value
}

describe("CLIENTS cache invalidation — the next request sees the change", () => {
  it("new redirect URIs are used by the very next /authorize; the removed one is refused", async () => {
    const client = await seedClient()
    // Warm every cache (identity memory, KV) with the old metadata.
    expect((await new Browser().request(authorizeUrl(client.clientId))).status).toBe(200)
    await upsert({ clientId: client.clientId, clientName: "Test RP", clientSecret: client.secret, redirectUris: ["https://rp.test/moved"] })
    const moved = await new Browser().request(authorizeUrl(client.clientId, { redirect_uri: "https://rp.test/moved" }))
    expect(moved.status).toBe(200)
    const old = await new Browser().request(authorizeUrl(client.clientId))
    expect(old.status).toBe(400)
    expect(old.headers.get("location")).toBeNull()
  })

  it("a rotated secret: the old one is invalid_client on the next token request once the changing isolate forgets it", async () => {
    const client = await seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "openid" })
    expect((await postForm("/token", { grant_type: "client_credentials" }, client)).status).toBe(200)
    const rotated = await upsert({ clientId: client.clientId, tokenEndpointAuthMethod: "client_secret_basic", grantTypes: ["client_credentials"], redirectUris: [], scope: "openid" })
    // What the admin API does after a client change in the edge isolate that made it.
    forgetClientAuth(client.clientId)
    const old = await postForm("/token", { grant_type: "client_credentials" }, client)
    expect(old.status).toBe(401)
    expect((await old.json<{ error: string }>()).error).toBe("invalid_client")
    const fresh = await postForm("/token", { grant_type: "client_credentials" }, { clientId: client.clientId, secret: rotated.generatedClientSecret! })
    expect(fresh.status).toBe(200)
  })

  it("an id unknown a moment ago works on the next request once created (negative entries are dropped on create)", async () => {
    const clientId = `late-${crypto.randomUUID().slice(0, 8)}`
    expect((await new Browser().request(authorizeUrl(clientId))).status).toBe(400)
    await seedClient({ clientId })
    expect((await new Browser().request(authorizeUrl(clientId))).status).toBe(200)
  })
})
