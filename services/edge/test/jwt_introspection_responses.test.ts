/**
 * RFC 9701: `POST /introspect` with `Accept: application/token-introspection+jwt`
 * answers `Content-Type: application/token-introspection+jwt`, a JWT signed
 * with a published key (`typ: token-introspection+jwt`) holding
 * `{iss, aud: the calling client, iat, token_introspection}` — the same
 * introspection JSON as without the header, and never `exp` nor `sub` at the
 * top (§5). Verified with jose against /jwks.
 */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"
import { seedClient, type SeededClient } from "./support/fixtures.ts"
import { basicAuth, obtainTokens } from "./support/flows.ts"

const JWT_TYPE = "application/token-introspection+jwt"

/** `POST /introspect` as `client`, with `accept`. */
const introspect = (client: SeededClient, token: string, accept: string | null) =>
  new Browser().request("/introspect", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: basicAuth(client.clientId, client.secret!),
      ...(accept === null ? {} : { accept })
    },
    body: new URLSearchParams({ token }).toString()
  })

/** Verifies an RFC 9701 response for `client` and returns its claims. */
const verifyIntrospection = async (response: Response, client: SeededClient): Promise<JWTPayload> => {
  expect(response.status).toBe(200)
  expect(response.headers.get("content-type")).toBe(JWT_TYPE)
  expect(response.headers.get("cache-control")).toBe("no-store")
  const jwks = await (await new Browser().request("/jwks")).json<JSONWebKeySet>()
  const { payload, protectedHeader } = await jwtVerify(await response.text(), createLocalJWKSet(jwks), {
    issuer: ORIGIN, audience: client.clientId, algorithms: ["RS256"], typ: "token-introspection+jwt"
  })
  expect(protectedHeader.typ).toBe("token-introspection+jwt")
  expect(Object.keys(payload).sort()).toEqual(["aud", "iat", "iss", "token_introspection"])
  expect(payload.aud).toBe(client.clientId)
  return payload
}

describe("JWT introspection responses — RFC 9701", () => {
  it("an active access token: the signed response holds the same introspection JSON as the plain answer", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, tokens } = await obtainTokens(client)
    const plain = await (await introspect(client, tokens.access_token, "application/json")).json()
    expect(plain).toMatchObject({ active: true, sub: user.id, client_id: client.clientId })
    const claims = await verifyIntrospection(await introspect(client, tokens.access_token, JWT_TYPE), client)
    expect(claims.token_introspection).toEqual(plain)
  })

  it("a refresh token (introspected by the tokens service) comes signed too", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, tokens } = await obtainTokens(client, { scope: "openid offline_access" })
    const claims = await verifyIntrospection(await introspect(client, tokens.refresh_token!, JWT_TYPE), client)
    expect(claims.token_introspection).toMatchObject({ active: true, token_type: "refresh_token", sub: user.id, client_id: client.clientId })
  })

  it("an unknown token, a malformed JWT, another client's token: a signed {active: false} for the calling client", async () => {
    const client = await seedClient({ skipConsent: true })
    const other = await seedClient({ skipConsent: true })
    const { tokens } = await obtainTokens(client)
    for (const [caller, token] of [[client, "never-issued"], [other, tokens.access_token], [client, "a.b.c"]] as const) {
      const claims = await verifyIntrospection(await introspect(caller, token, JWT_TYPE), caller)
      expect(claims.token_introspection).toEqual({ active: false })
    }
  })

  it("Accept negotiation: listed among others or with parameters → JWT; absent, JSON only, or q=0 → JSON", async () => {
    const client = await seedClient({ skipConsent: true })
    const { tokens } = await obtainTokens(client)
    for (const accept of [`application/json;q=0.5, ${JWT_TYPE}`, `${JWT_TYPE}; charset=utf-8`, "APPLICATION/TOKEN-INTROSPECTION+JWT"]) {
      await verifyIntrospection(await introspect(client, tokens.access_token, accept), client)
    }
    for (const accept of [null, "application/json", "*/*", `${JWT_TYPE};q=0`, "application/token-introspection+jwtx"]) {
      const response = await introspect(client, tokens.access_token, accept)
      expect(response.headers.get("content-type"), String(accept)).toContain("application/json")
      expect(await response.json()).toMatchObject({ active: true })
    }
  })

  it("errors stay RFC 6749 JSON: a bad client secret is invalid_client, a missing token invalid_request", async () => {
    const client = await seedClient()
    const wrong = await new Browser().request("/introspect", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, "wrong"), accept: JWT_TYPE },
      body: "token=x"
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" })
    const missing = await new Browser().request("/introspect", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!), accept: JWT_TYPE },
      body: ""
    })
    expect(missing.status).toBe(400)
    expect(await missing.json()).toMatchObject({ error: "invalid_request" })
  })

  it("concurrent JWT introspections of one token all verify and say the same", async () => {
    const client = await seedClient({ skipConsent: true })
    const { tokens } = await obtainTokens(client)
    const answers = await Promise.all(Array.from({ length: 12 }, () => introspect(client, tokens.access_token, JWT_TYPE)))
    const bodies = await Promise.all(answers.map(async (answer) => (await verifyIntrospection(answer, client)).token_introspection))
    for (const body of bodies) expect(body).toEqual(bodies[0])
    expect(bodies[0]).toMatchObject({ active: true })
  })
})
