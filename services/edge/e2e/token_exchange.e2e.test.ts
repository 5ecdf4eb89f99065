/**
 * OAuth 2.0 Token Exchange (RFC 8693) end to end with openid-client against a
 * real `wrangler dev`: alice signs in at e2e-basic; the internal worker
 * e2e-exchange (seeded with a token exchange policy, fixtures.json) gets its
 * own token by client_credentials and exchanges alice's access token for one
 * delegated to it with `genericGrantRequest`. The issued token is checked as
 * a resource server would, with the discovered JWKS.
 */
import * as oidc from "openid-client"
import { createRemoteJWKSet, jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import fixtures from "./fixtures.json" with { type: "json" }
import { issuer, redeem, rpFor, signIn } from "./rp.ts"

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
const NOTES_API = "https://notes.e2e.test/api"

const secret = fixtures.clients.find((c) => c.client_id === "e2e-exchange")?.client_secret ?? ""

const workerConfig = () =>
  oidc.discovery(new URL(issuer()), "e2e-exchange", undefined, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] })

/** alice's access token from e2e-basic, and the worker's configuration and actor token. */
const parties = async () => {
  const rp = await rpFor("e2e-basic")
  const tokens = await redeem(rp, await signIn(rp))
  const worker = await workerConfig()
  const actor = await oidc.clientCredentialsGrant(worker)
  return { user: tokens, worker, actor: actor.access_token }
}

describe("Token exchange — openid-client genericGrantRequest (RFC 8693)", () => {
  it("discovery lists the grant; the exchange answers a delegated access token for the requested audience", async () => {
    const { user, worker, actor } = await parties()
    expect(worker.serverMetadata().grant_types_supported).toContain(TOKEN_EXCHANGE)
    const exchanged = await oidc.genericGrantRequest(worker, TOKEN_EXCHANGE, {
      subject_token: user.access_token, subject_token_type: ACCESS_TOKEN_TYPE,
      actor_token: actor, actor_token_type: ACCESS_TOKEN_TYPE,
      audience: NOTES_API, scope: "profile"
    })
    expect(exchanged).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE, scope: "profile" })
    expect(exchanged.token_type.toLowerCase()).toBe("bearer")
    expect(exchanged.refresh_token).toBeUndefined()
    const jwks = createRemoteJWKSet(new URL(worker.serverMetadata().jwks_uri!))
    const { payload } = await jwtVerify(exchanged.access_token, jwks, { issuer: issuer(), audience: NOTES_API, typ: "at+jwt" })
    expect(payload).toMatchObject({ sub: user.claims()!.sub, client_id: "e2e-exchange", act: { sub: "e2e-exchange" }, scope: "profile" })
  })

  it("an audience outside the policy is invalid_target; a wider scope is invalid_scope", async () => {
    const { user, worker, actor } = await parties()
    const base = { subject_token: user.access_token, subject_token_type: ACCESS_TOKEN_TYPE, actor_token: actor, actor_token_type: ACCESS_TOKEN_TYPE }
    const target = await oidc.genericGrantRequest(worker, TOKEN_EXCHANGE, { ...base, audience: "https://elsewhere.e2e.test/api" }).catch((e: unknown) => e)
    expect(target).toBeInstanceOf(oidc.ResponseBodyError)
    expect((target as oidc.ResponseBodyError).error).toBe("invalid_target")
    const scope = await oidc.genericGrantRequest(worker, TOKEN_EXCHANGE, { ...base, audience: NOTES_API, scope: "profile admin" }).catch((e: unknown) => e)
    expect((scope as oidc.ResponseBodyError).error).toBe("invalid_scope")
  })
})
