/**
 * Issue 10: a successful client authentication is reused in the isolate for
 * 30 s (no identity call per refresh). What must not change: a wrong secret,
 * or the right id under another method, is still `invalid_client`.
 */
import { describe, expect, it } from "vitest"
import { env } from "cloudflare:workers"
import { Effect, Schema } from "effect"
import { Client as ClientSchema, type Client } from "@authrim/contracts"
import { cachedClientAuth, CLIENT_AUTH_TTL_MS, clientAuthKey, rememberClientAuth } from "../src/token_endpoint/client_auth_cache.ts"
import { seedClient } from "./support/fixtures.ts"
import { postForm } from "./support/flows.ts"

const machineClient = () => seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "openid" })

describe("client authentication reuse — RFC 6749 §2.3.1 still holds", () => {
  it("after a success, a wrong secret, a missing one and another method are still invalid_client", async () => {
    const client = await machineClient()
    expect((await postForm("/token", { grant_type: "client_credentials" }, client)).status).toBe(200)
    expect((await postForm("/token", { grant_type: "client_credentials" }, client)).status).toBe(200)
    for (const response of [
      await postForm("/token", { grant_type: "client_credentials" }, { ...client, secret: `${client.secret!}x` }),
      await postForm("/token", { grant_type: "client_credentials", client_id: client.clientId }),
      await postForm("/token", { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.secret! })
    ]) {
      expect(response.status).toBe(401)
      expect((await response.json<{ error: string }>()).error).toBe("invalid_client")
    }
  })

  it("keys hold the secret's hash only, differ per secret and method, and expire after 30 s", async () => {
    const secret = "s3cret value"
    const key = await Effect.runPromise(clientAuthKey("c1", "client_secret_basic", secret))
    expect(key).not.toContain(secret)
    expect(await Effect.runPromise(clientAuthKey("c1", "client_secret_basic", `${secret} `))).not.toBe(key)
    expect(await Effect.runPromise(clientAuthKey("c1", "client_secret_post", secret))).not.toBe(key)
    const seeded = await env.IDENTITY.getClient({ clientId: (await machineClient()).clientId })
    if (seeded._tag !== "Success") throw new Error("identity.getClient failed")
    const client: Client = Schema.decodeUnknownSync(ClientSchema)(seeded.value)
    rememberClientAuth(key, client, 1_000)
    expect(cachedClientAuth(key, 1_000 + CLIENT_AUTH_TTL_MS - 1)).toEqual(client)
    expect(cachedClientAuth(key, 1_000 + CLIENT_AUTH_TTL_MS)).toBeUndefined()
    expect(cachedClientAuth(key, 1_000)).toBeUndefined()
  })
})
