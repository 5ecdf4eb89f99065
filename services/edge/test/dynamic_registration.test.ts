/**
 * Dynamic client registration through the edge and the real identity
 * service: RFC 7591 `POST /register` with and without initial access tokens
 * (valid, expired, used, revoked; open registration off and on), RFC 7592
 * read/update/delete with the registration access token (right, wrong, old),
 * the `registration` rate limit, and discovery's `registration_endpoint`.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { basicAuth } from "./support/flows.ts"

const ORIGIN = "https://op.test"
const webClient = { redirect_uris: ["https://rp.test/cb"], client_name: "Dynamic RP" }

const unwrap = <T>(result: { _tag: "Success"; value: T } | { _tag: "Failure"; error: unknown }): T => {
  if (result._tag === "Failure") throw new Error(JSON.stringify(result.error))
  return result.value
}

/** A fresh initial access token (through identity's admin method). */
const initialAccessToken = async (options: { singleUse?: boolean; policy?: { scope?: string } } = {}) =>
  unwrap(await env.IDENTITY_ADMIN.createInitialAccessToken({ adminUserId: "admin-test", ...options }))

const call = (path: string, init: { method: string; token?: string | null; body?: unknown; rawBody?: string; contentType?: string; ip?: string }, envOverrides: Record<string, string> = {}) =>
  worker.fetch(new Request(`${ORIGIN}${path}`, {
    method: init.method,
    headers: {
      ...(init.body !== undefined || init.rawBody !== undefined ? { "content-type": init.contentType ?? "application/json" } : {}),
      ...(init.token == null ? {} : { authorization: `Bearer ${init.token}` }),
      ...(init.ip === undefined ? {} : { "cf-connecting-ip": init.ip })
    },
    ...(init.rawBody !== undefined ? { body: init.rawBody } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {})
  }), { ...env, ...envOverrides })

const register = (body: unknown, token?: string | null, envOverrides: Record<string, string> = {}) => call("/register", { method: "POST", body, token }, envOverrides)

const expectInvalidToken = async (response: Response) => {
  expect(response.status).toBe(401)
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="authrim", error="invalid_token"/)
  expect(response.headers.get("cache-control")).toBe("no-store")
  expect(await response.json()).toMatchObject({ error: "invalid_token" })
}

interface Registered {
  client_id: string
  client_secret?: string
  registration_access_token: string
  registration_client_uri: string
  [member: string]: unknown
}

const registered = async (response: Response): Promise<Registered> => {
  expect(response.status).toBe(201)
  return response.json<Registered>()
}

describe("Client registration endpoint — RFC 7591 §3", () => {
  it("registers with an initial access token: 201, no-store, secret, registration access token and configuration URI", async () => {
    const { token } = await initialAccessToken()
    const response = await register(webClient, token)
    expect(response.status).toBe(201)
    expect(response.headers.get("cache-control")).toBe("no-store")
    const body = await response.json<Registered>()
    expect(body).toMatchObject({
      client_name: "Dynamic RP", redirect_uris: ["https://rp.test/cb"], token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code"], response_types: ["code"], client_secret_expires_at: 0
    })
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.registration_access_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.registration_client_uri).toBe(`${ORIGIN}/register?client_id=${body.client_id}`)
  })

  it("without a token, open registration off (the default): 401 invalid_token with a Bearer challenge", async () => {
    await expectInvalidToken(await register(webClient))
    await expectInvalidToken(await register(webClient, null, { OPEN_REGISTRATION: "false" }))
  })

  it("open registration on (OPEN_REGISTRATION=true): registers without a token, but a bad token is still refused", async () => {
    const body = await registered(await register(webClient, null, { OPEN_REGISTRATION: "true" }))
    expect(body.client_id).toMatch(/^dcr_/)
    await expectInvalidToken(await register(webClient, "not-a-real-initial-access-token", { OPEN_REGISTRATION: "true" }))
  })

  it("refuses an unknown, expired, used (single-use) or revoked token with 401", async () => {
    await expectInvalidToken(await register(webClient, "A".repeat(43)))
    // An expired token: KV still holds it (KV expiry is coarse) but its expiresAt has passed.
    const expiredToken = "B".repeat(43)
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(expiredToken)))
    const id = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")
    const info = { id, description: "expired", createdAt: Date.now() - 7_200_000, expiresAt: Date.now() - 1000, singleUse: false, policy: {}, createdBy: null }
    await env.INITIAL_ACCESS_TOKENS.put(`iat:${id}`, JSON.stringify(info), { expirationTtl: 3600, metadata: info })
    await expectInvalidToken(await register(webClient, expiredToken))

    const single = await initialAccessToken({ singleUse: true })
    await registered(await register(webClient, single.token))
    await expectInvalidToken(await register(webClient, single.token))

    const revoked = await initialAccessToken()
    unwrap(await env.IDENTITY_ADMIN.revokeInitialAccessToken({ adminUserId: "admin-test", id: revoked.info.id }))
    await expectInvalidToken(await register(webClient, revoked.token))
  })

  it("answers bad metadata and bad bodies with RFC 7591 §3.2.2 / RFC 6749 JSON errors, never a 500", async () => {
    const { token } = await initialAccessToken()
    const cases: Array<[Parameters<typeof call>[1], number, string]> = [
      [{ method: "POST", token, body: { redirect_uris: ["http://rp.test/cb"] } }, 400, "invalid_redirect_uri"],
      [{ method: "POST", token, body: { ...webClient, token_endpoint_auth_method: "client_secret_jwt" } }, 400, "invalid_client_metadata"],
      [{ method: "POST", token, body: [webClient] }, 400, "invalid_client_metadata"],
      [{ method: "POST", token, body: null }, 400, "invalid_client_metadata"],
      [{ method: "POST", token, rawBody: "{not json" }, 400, "invalid_request"],
      [{ method: "POST", token, rawBody: "redirect_uris=x", contentType: "application/x-www-form-urlencoded" }, 400, "invalid_request"],
      [{ method: "POST", token, rawBody: JSON.stringify({ redirect_uris: ["https://rp.test/" + "a".repeat(70_000)] }) }, 400, "invalid_request"]
    ]
    for (const [init, status, code] of cases) {
      const response = await call("/register", init)
      expect(response.status).toBe(status)
      expect(await response.json()).toMatchObject({ error: code, error_description: expect.any(String) })
    }
  })

  it("a registered client is usable at once: client_credentials with its issued secret at /token", async () => {
    const { token } = await initialAccessToken()
    const body = await registered(await register({ grant_types: ["client_credentials"], response_types: [], scope: "profile" }, token))
    const response = await worker.fetch(new Request(`${ORIGIN}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(body.client_id, body.client_secret!) },
      body: "grant_type=client_credentials"
    }), env)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ token_type: "Bearer", scope: "profile" })
  })

  it("is advertised in discovery as registration_endpoint", async () => {
    const response = await worker.fetch(new Request(`${ORIGIN}/.well-known/openid-configuration`), env)
    expect(await response.json()).toMatchObject({ registration_endpoint: `${ORIGIN}/register` })
  })
})

describe("Client configuration endpoint — RFC 7592 §2", () => {
  const configure = (client: Registered, method: string, token: string | null, body?: unknown) =>
    call(new URL(client.registration_client_uri).pathname + new URL(client.registration_client_uri).search, { method, token, body })

  it("reads with the registration access token; wrong or missing token is 401 invalid_token", async () => {
    const { token } = await initialAccessToken()
    const client = await registered(await register(webClient, token))
    const read = await configure(client, "GET", client.registration_access_token)
    expect(read.status).toBe(200)
    expect(read.headers.get("cache-control")).toBe("no-store")
    const body = await read.json<Registered>()
    expect(body).toMatchObject({ client_id: client.client_id, client_name: "Dynamic RP", registration_access_token: client.registration_access_token, registration_client_uri: client.registration_client_uri })
    expect(body).not.toHaveProperty("client_secret")
    await expectInvalidToken(await configure(client, "GET", "wrong-token"))
    await expectInvalidToken(await configure(client, "GET", null))
    const other = await registered(await register(webClient, token))
    await expectInvalidToken(await configure(client, "GET", other.registration_access_token))
    const noClient = await call("/register", { method: "GET", token: client.registration_access_token })
    expect(noClient.status).toBe(400)
  })

  it("updates (the token rotates: the old one is refused) and the change is used at once", async () => {
    const { token } = await initialAccessToken()
    const client = await registered(await register(webClient, token))
    const updated = await configure(client, "PUT", client.registration_access_token, { client_id: client.client_id, redirect_uris: ["https://rp.test/new"], client_name: "Renamed" })
    expect(updated.status).toBe(200)
    const body = await updated.json<Registered>()
    expect(body).toMatchObject({ client_name: "Renamed", redirect_uris: ["https://rp.test/new"] })
    expect(body.registration_access_token).not.toBe(client.registration_access_token)
    await expectInvalidToken(await configure(client, "GET", client.registration_access_token))
    expect((await configure(client, "GET", body.registration_access_token)).status).toBe(200)
    // The very next authorization request sees the new redirect URI.
    const authorizeWith = (redirectUri: string) => worker.fetch(new Request(`${ORIGIN}/authorize?${new URLSearchParams({
      response_type: "code", client_id: client.client_id, redirect_uri: redirectUri, scope: "openid", state: "s", nonce: "n",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256"
    })}`), env)
    const old = await authorizeWith("https://rp.test/cb")
    expect(old.status).toBe(400)
    expect(old.headers.get("location")).toBeNull()
    expect(await old.text()).toContain("redirect_uri")
    const fresh = await authorizeWith("https://rp.test/new")
    expect(fresh.status).not.toBe(400)
    const bad = await configure(client, "PUT", body.registration_access_token, { client_id: client.client_id, redirect_uris: ["https://rp.test/cb#x"] })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: "invalid_redirect_uri" })
  })

  it("deletes: 204, then the token and the client are gone", async () => {
    const { token } = await initialAccessToken()
    const client = await registered(await register(webClient, token))
    await expectInvalidToken(await configure(client, "DELETE", "wrong-token"))
    const deleted = await configure(client, "DELETE", client.registration_access_token)
    expect(deleted.status).toBe(204)
    await expectInvalidToken(await configure(client, "GET", client.registration_access_token))
    await expectInvalidToken(await configure(client, "DELETE", client.registration_access_token))
    const tokenResponse = await worker.fetch(new Request(`${ORIGIN}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.client_id, client.client_secret!) },
      body: "grant_type=client_credentials"
    }), env)
    expect(tokenResponse.status).toBe(401)
  })
})

describe("Registration rate limit — policy `registration` (10 per hour per client IP)", () => {
  it("refuses the 11th request from one IP with 429, whatever the method, and not another IP", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`
    for (let i = 0; i < 10; i++) expect((await call("/register", { method: "POST", body: webClient, ip })).status).toBe(401)
    const refused = await call("/register", { method: "GET", token: "x", ip })
    expect(refused.status).toBe(429)
    expect(refused.headers.get("retry-after")).not.toBeNull()
    expect(await refused.json()).toMatchObject({ error: "temporarily_unavailable" })
    expect((await call("/register", { method: "POST", body: webClient, ip: "203.0.113.77" })).status).toBe(401)
  })
})
