/**
 * `SignedResponsesContract` over RPC (src/response_jwts.ts): tokens builds the
 * JARM and RFC 9701 claim sets itself and keys signs them; the edge can name
 * only the response parameters, never `iss`, `aud`, `iat` or `exp`.
 */
import { AUTHORIZATION_RESPONSE_TTL_SECONDS, makeClient, SignedResponsesContract } from "@authrim/contracts"
import { exports } from "cloudflare:workers"
import { Effect } from "effect"
import { jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import { issuer, keysJwks } from "./token_fixtures.ts"

const signed = makeClient("tokens", SignedResponsesContract, exports.TokensForEdge)

describe("signAuthorizationResponse (JARM)", () => {
  it("signs the parameters with iss, aud = the client, iat and a 10-minute exp", async () => {
    const { jwt } = await Effect.runPromise(signed.signAuthorizationResponse({ issuer, clientId: "client-a", params: { code: "c-1", state: "s-1" } }))
    const { payload, protectedHeader } = await jwtVerify(jwt, await keysJwks(), { issuer, audience: "client-a", algorithms: ["RS256"] })
    expect(protectedHeader.typ).toBe("JWT")
    expect(payload).toMatchObject({ code: "c-1", state: "s-1", aud: "client-a" })
    expect(payload.exp! - payload.iat!).toBe(AUTHORIZATION_RESPONSE_TTL_SECONDS)
  })

  it.each(["iss", "aud", "iat", "exp"])("a parameter named %s is refused (server_error), nothing signed", async (name) => {
    const failure = await Effect.runPromise(Effect.flip(signed.signAuthorizationResponse({ issuer, clientId: "client-a", params: { code: "c-1", [name]: "x" } })))
    expect(failure).toMatchObject({ _tag: "OAuthError", code: "server_error" })
  })

  it("a parameter set keys refuses (neither code nor error, a sub) is server_error", async () => {
    const refused: ReadonlyArray<Record<string, string>> = [{ state: "s-1" }, { code: "c-1", sub: "user-1" }]
    for (const params of refused) {
      const failure = await Effect.runPromise(Effect.flip(signed.signAuthorizationResponse({ issuer, clientId: "client-a", params })))
      expect(failure).toMatchObject({ _tag: "OAuthError", code: "server_error" })
    }
  })
})

describe("signIntrospectionResponse (RFC 9701)", () => {
  it("signs {iss, aud, iat, token_introspection} with typ token-introspection+jwt, no exp", async () => {
    const introspection = { active: true, sub: "user-1", client_id: "client-a", exp: 2_000_000_000, scope: "openid", cnf: { jkt: "thumb" } }
    const { jwt } = await Effect.runPromise(signed.signIntrospectionResponse({ issuer, clientId: "client-b", introspection }))
    const { payload } = await jwtVerify(jwt, await keysJwks(), { issuer, audience: "client-b", typ: "token-introspection+jwt", algorithms: ["RS256"] })
    expect(Object.keys(payload).sort()).toEqual(["aud", "iat", "iss", "token_introspection"])
    expect(payload.token_introspection).toEqual(introspection)
  })
})
