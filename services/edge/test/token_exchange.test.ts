/**
 * OAuth 2.0 Token Exchange (RFC 8693) through /token with the real backends
 * (issue 14): an internal worker (a confidential client with a token exchange
 * policy) exchanges a user's access token for a delegated one — narrower
 * audience and scope, `act` naming the worker — and a resource server's
 * binding (TokensForResourceServers) accepts it for its audience.
 */
import { ACCESS_TOKEN_TYPE_URN, makeClient, ResourceServerContract, TOKEN_EXCHANGE_GRANT, type ClientInput } from "@authrim/contracts"
import { env } from "cloudflare:workers"
import { Effect, Exit } from "effect"
import { decodeJwt } from "jose"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"
import { seedClient, type SeededClient } from "./support/fixtures.ts"
import { obtainTokens, postForm } from "./support/flows.ts"
import { adminCall, problemOf, signInAdmin } from "./support/admin_flows.ts"

const NOTES_API = "https://notes.example/api"
const BILLING = "urn:example:billing"

type Body = Record<string, unknown> & { access_token: string; error?: string; scope: string }

/** An internal worker: confidential, client_credentials (its actor token) and token exchange. */
const worker = (overrides: Partial<ClientInput> = {}) => seedClient({
  grantTypes: ["client_credentials", TOKEN_EXCHANGE_GRANT],
  redirectUris: [],
  scope: "profile email",
  tokenExchangePolicy: { audiences: [NOTES_API, BILLING], delegation: true },
  ...overrides
})

/** The user's RP, and a user's access token from it (scope openid profile email). */
const userAccessToken = async () => {
  const rp = await seedClient({ skipConsent: true, scope: "openid profile email" })
  const { user, tokens } = await obtainTokens(rp, { scope: "openid profile email" })
  return { rp, user, token: tokens.access_token }
}

/** The worker's own token (client_credentials): what it presents as actor_token. */
const actorToken = async (client: SeededClient) => {
  const body = await (await postForm("/token", { grant_type: "client_credentials" }, client)).json<Body>()
  return body.access_token
}

const exchange = async (client: SeededClient, fields: Record<string, string>) => {
  const response = await postForm("/token", { grant_type: TOKEN_EXCHANGE_GRANT, ...fields }, client)
  return { status: response.status, headers: response.headers, body: await response.json<Body>() }
}

/** The usual request members: subject and actor tokens of the access token type, and an audience. */
const request = (subject: string, actor: string, extra: Record<string, string> = {}) => ({
  subject_token: subject, subject_token_type: ACCESS_TOKEN_TYPE_URN,
  actor_token: actor, actor_token_type: ACCESS_TOKEN_TYPE_URN,
  audience: NOTES_API, ...extra
})

const resourceServer = makeClient("tokens", ResourceServerContract, env.TOKENS_FOR_RESOURCE_SERVERS)

describe("Token Exchange — RFC 8693 §2 (delegation, per-client policy)", () => {
  it("happy path: the delegated token has the subject's sub, the requested aud, the worker as client_id and act.sub; no refresh token", async () => {
    const { user, token } = await userAccessToken()
    const client = await worker()
    const { status, headers, body } = await exchange(client, request(token, await actorToken(client)))
    expect(status).toBe(200)
    expect(headers.get("cache-control")).toBe("no-store")
    expect(body).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE_URN, token_type: "Bearer", scope: "openid profile email" })
    expect(body).not.toHaveProperty("refresh_token")
    expect(body).not.toHaveProperty("id_token")
    const claims = decodeJwt(body.access_token)
    const subject = decodeJwt(token)
    expect(claims).toMatchObject({ iss: ORIGIN, sub: user.id, aud: NOTES_API, client_id: client.clientId, act: { sub: client.clientId }, scope: "openid profile email" })
    expect(claims.auth_time).toBe(subject.auth_time)
    // §2.2.1 expires_in, and never past the subject token's expiry.
    expect(claims.exp! - claims.iat!).toBe(body.expires_in)
    expect(claims.exp!).toBeLessThanOrEqual(subject.exp!)
  })

  it("introspection reports the actor chain (RFC 8693 §4.1 act) of an exchanged token, and none on an ordinary one", async () => {
    const { token } = await userAccessToken()
    const client = await worker()
    const { body } = await exchange(client, request(token, await actorToken(client)))
    const introspected = await (await postForm("/introspect", { token: body.access_token }, client)).json<Record<string, unknown>>()
    expect(introspected).toMatchObject({ active: true, client_id: client.clientId, aud: NOTES_API, act: { sub: client.clientId } })
    const ordinary = await (await postForm("/introspect", { token: await actorToken(client) }, client)).json<Record<string, unknown>>()
    expect(ordinary).toMatchObject({ active: true })
    expect(ordinary).not.toHaveProperty("act")
    // The resource-server binding (introspection for its audience) says the same.
    const viaBinding = await Effect.runPromise(resourceServer.introspect({ token: body.access_token, issuer: ORIGIN, audience: NOTES_API }))
    expect(viaBinding).toMatchObject({ active: true, act: { sub: client.clientId } })
  })

  it("TokensForResourceServers accepts the exchanged token for its audience only", async () => {
    const { user, token } = await userAccessToken()
    const client = await worker()
    const { body } = await exchange(client, request(token, await actorToken(client), { scope: "email" }))
    const verified = await Effect.runPromise(resourceServer.verifyAccessToken({ issuer: ORIGIN, audience: NOTES_API, token: body.access_token, requiredScopes: ["email"] }))
    expect(verified).toMatchObject({ sub: user.id, clientId: client.clientId, aud: [NOTES_API], scopes: ["email"], clientOnly: false })
    const elsewhere = await Effect.runPromiseExit(resourceServer.verifyAccessToken({ issuer: ORIGIN, audience: BILLING, token: body.access_token }))
    expect(Exit.isFailure(elsewhere)).toBe(true)
    // Nor is it a token for this provider's userinfo.
    const userinfo = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${body.access_token}` } })
    expect(userinfo.status).toBe(401)
  })

  it("nested act (§4.1): exchanging an exchanged token puts the earlier actor inside the new one", async () => {
    const { user, token } = await userAccessToken()
    const first = await worker()
    const second = await worker({ tokenExchangePolicy: { audiences: [BILLING], delegation: true } })
    const once = await exchange(first, request(token, await actorToken(first)))
    const twice = await exchange(second, request(once.body.access_token, await actorToken(second), { audience: BILLING, scope: "email" }))
    expect(twice.status).toBe(200)
    expect(decodeJwt(twice.body.access_token)).toMatchObject({
      sub: user.id, aud: BILLING, client_id: second.clientId, scope: "email",
      act: { sub: second.clientId, act: { sub: first.clientId } }
    })
  })

  it("audience and resource together make a token for both; a resource in the policy alone is enough", async () => {
    const { token } = await userAccessToken()
    const client = await worker()
    const both = await exchange(client, request(token, await actorToken(client), { resource: NOTES_API, audience: BILLING }))
    expect(both.status).toBe(200)
    expect(decodeJwt(both.body.access_token).aud).toEqual([BILLING, NOTES_API])
    const { audience: _a, ...withoutAudience } = request(token, await actorToken(client))
    const resourceOnly = await exchange(client, { ...withoutAudience, resource: NOTES_API })
    expect([resourceOnly.status, decodeJwt(resourceOnly.body.access_token).aud]).toEqual([200, NOTES_API])
  })

  it("a client without a policy, or whose policy does not allow delegation, is unauthorized_client", async () => {
    const { token } = await userAccessToken()
    for (const client of [await worker({ tokenExchangePolicy: null }), await worker({ tokenExchangePolicy: { audiences: [NOTES_API], delegation: false } })]) {
      const { status, body } = await exchange(client, request(token, await actorToken(client)))
      expect([status, body.error]).toEqual([400, "unauthorized_client"])
    }
    // A client with a policy but not registered for the grant type is refused as for any grant.
    const unregistered = await worker({ grantTypes: ["client_credentials"] })
    expect((await exchange(unregistered, request(token, await actorToken(unregistered)))).body.error).toBe("unauthorized_client")
  })

  it("a public client is refused: no policy can be stored for it, and the grant is unauthorized_client", async () => {
    const { token } = await userAccessToken()
    const publicClient = await seedClient({ tokenEndpointAuthMethod: "none", grantTypes: [TOKEN_EXCHANGE_GRANT], redirectUris: [] })
    const response = await postForm("/token", { grant_type: TOKEN_EXCHANGE_GRANT, client_id: publicClient.clientId, ...request(token, token) })
    expect([response.status, (await response.json<Body>()).error]).toEqual([400, "unauthorized_client"])
    await expect(seedClient({ tokenEndpointAuthMethod: "none", grantTypes: [TOKEN_EXCHANGE_GRANT], redirectUris: [], tokenExchangePolicy: { audiences: [NOTES_API], delegation: true } }))
      .rejects.toThrow(/confidential clients only/)
  })

  it("an audience or resource outside the policy, none at all, or a malformed resource → invalid_target", async () => {
    const { token } = await userAccessToken()
    const client = await worker()
    const actor = await actorToken(client)
    const outside: ReadonlyArray<Record<string, string>> = [{ audience: "https://other.example/api" }, { audience: `${NOTES_API}/` }, { resource: "https://other.example/api" }, { resource: "not a uri" }, { audience: NOTES_API, resource: "https://other.example/api" }]
    for (const extra of outside) {
      const { status, body } = await exchange(client, { ...request(token, actor), ...extra })
      expect([status, body.error], JSON.stringify(extra)).toEqual([400, "invalid_target"])
    }
    const { audience: _a, ...none } = request(token, actor)
    expect((await exchange(client, none)).body.error).toBe("invalid_target")
  })

  it("a scope wider than the subject token's is invalid_scope; a narrower one is granted", async () => {
    const { token } = await userAccessToken()
    const client = await worker()
    const actor = await actorToken(client)
    for (const scope of ["openid profile email phone", "offline_access", "admin"]) {
      const { status, body } = await exchange(client, request(token, actor, { scope }))
      expect([status, body.error]).toEqual([400, "invalid_scope"])
    }
    const narrowed = await exchange(client, request(token, actor, { scope: "profile" }))
    expect([narrowed.status, narrowed.body.scope]).toEqual([200, "profile"])
  })

  it("a revoked or garbage subject token → invalid_request (§2.2.2: invalid subject_token)", async () => {
    const { rp, token } = await userAccessToken()
    const client = await worker()
    const actor = await actorToken(client)
    for (const subject of ["garbage", `${token.slice(0, -4)}AAAA`, actor.split(".").slice(0, 2).join(".") + ".x"]) {
      const { status, body } = await exchange(client, request(subject, actor))
      expect([status, body.error]).toEqual([400, "invalid_request"])
    }
    expect((await exchange(client, request(token, actor))).status).toBe(200)
    expect((await postForm("/revoke", { token, token_type_hint: "access_token" }, rp)).status).toBe(200)
    const revoked = await exchange(client, request(token, actor))
    expect([revoked.status, revoked.body.error, revoked.body["error_description"]]).toEqual([400, "invalid_request", "subject_token is revoked"])
  })

  it("impersonation is off: no actor_token, an actor token of another client or of a user → invalid_request", async () => {
    const { token } = await userAccessToken()
    const client = await worker()
    const other = await worker()
    const { actor_token: _t, actor_token_type: _tt, ...withoutActor } = request(token, "")
    const noActor = await exchange(client, withoutActor)
    expect([noActor.status, noActor.body.error]).toEqual([400, "invalid_request"])
    expect(noActor.body["error_description"]).toMatch(/actor_token is required/)
    for (const actor of [await actorToken(other), token]) {
      const { status, body } = await exchange(client, request(token, actor))
      expect([status, body.error]).toEqual([400, "invalid_request"])
    }
  })

  it("token types: only access tokens are accepted and issued (else invalid_request)", async () => {
    const { token } = await userAccessToken()
    const client = await worker()
    const actor = await actorToken(client)
    const wrongTypes: ReadonlyArray<Record<string, string>> = [
      { subject_token_type: "urn:ietf:params:oauth:token-type:id_token" },
      { actor_token_type: "urn:ietf:params:oauth:token-type:jwt" },
      { requested_token_type: "urn:ietf:params:oauth:token-type:refresh_token" }
    ]
    for (const extra of wrongTypes) {
      const { status, body } = await exchange(client, { ...request(token, actor), ...extra })
      expect([status, body.error], JSON.stringify(extra)).toEqual([400, "invalid_request"])
    }
    const asked = await exchange(client, request(token, actor, { requested_token_type: ACCESS_TOKEN_TYPE_URN }))
    expect(asked.status).toBe(200)
  })

  it("admin API: the policy is set, read back, and cleared; the very next exchange obeys each write", async () => {
    const { token: admin } = await signInAdmin(["clients:read", "clients:write"])
    const created = await adminCall("/clients", { token: admin, method: "POST", body: {
      clientName: "Notes worker", redirectUris: [], grantTypes: ["client_credentials", TOKEN_EXCHANGE_GRANT],
      tokenEndpointAuthMethod: "client_secret_basic", scope: "profile email"
    } })
    expect(created.status).toBe(201)
    const { client, clientSecret } = await created.json<{ client: { clientId: string }; clientSecret: string }>()
    const seeded: SeededClient = { clientId: client.clientId, secret: clientSecret }
    const { token } = await userAccessToken()
    expect((await exchange(seeded, request(token, await actorToken(seeded)))).body.error).toBe("unauthorized_client")
    const policy = { audiences: [NOTES_API], delegation: true }
    const patched = await adminCall(`/clients/${client.clientId}`, { token: admin, method: "PATCH", headers: { "if-match": `"1"` }, body: { tokenExchangePolicy: policy } })
    expect(patched.status).toBe(200)
    expect((await (await adminCall(`/clients/${client.clientId}`, { token: admin })).json<{ tokenExchangePolicy?: unknown }>()).tokenExchangePolicy).toEqual(policy)
    expect((await exchange(seeded, request(token, await actorToken(seeded)))).status).toBe(200)
    await problemOf(await adminCall(`/clients/${client.clientId}`, { token: admin, method: "PATCH", headers: { "if-match": `"2"` }, body: { tokenExchangePolicy: { audiences: [], delegation: true } } }), 400)
    const cleared = await adminCall(`/clients/${client.clientId}`, { token: admin, method: "PATCH", headers: { "if-match": `"2"` }, body: { tokenExchangePolicy: null } })
    expect(cleared.status).toBe(200)
    expect((await exchange(seeded, request(token, await actorToken(seeded)))).body.error).toBe("unauthorized_client")
  })

  it("discovery lists the grant type", async () => {
    const metadata = await (await new Browser().request("/.well-known/openid-configuration")).json<{ grant_types_supported: string[] }>()
    expect(metadata.grant_types_supported).toContain(TOKEN_EXCHANGE_GRANT)
  })
})
