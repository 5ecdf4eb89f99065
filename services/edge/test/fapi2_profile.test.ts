/**
 * The per-client FAPI 2.0 Security Profile switch (`fapiProfile:
 * fapi2_security`) through the edge and the real backends: private_key_jwt
 * only (refused when the client is written), authorization requests only
 * through PAR with a redirect_uri, PKCE S256 although the client is
 * confidential, a DPoP proof at /token (DPoP-bound tokens), and RFC 9207
 * `iss` in the authorization response.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"
import { assertionFields, clientAssertion, clientKey, seedKeyClient } from "./support/client_keys.ts"
import { newDpopKey, proofFor } from "./support/dpop_client.ts"
import { REDIRECT_URI, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, pkcePair, postForm, signIn } from "./support/flows.ts"

const fapiClient = async () => {
  const key = await clientKey("ES256")
  const client = await seedKeyClient(key, { skipConsent: true, fapiProfile: "fapi2_security" })
  return { key, client }
}

const authorizationFields = (clientId: string, challenge: string | null, extra: Record<string, string> = {}) => ({
  response_type: "code", client_id: clientId, redirect_uri: REDIRECT_URI, scope: "openid", state: "fapi-state", nonce: "fapi-nonce",
  ...(challenge === null ? {} : { code_challenge: challenge, code_challenge_method: "S256" }),
  ...extra
})

const push = async (clientId: string, key: Awaited<ReturnType<typeof clientKey>>, fields: Record<string, string>) =>
  postForm("/par", { ...fields, ...assertionFields(await clientAssertion(clientId, key)) })

describe("FAPI 2.0 Security Profile — per-client switch", () => {
  it("PAR + PKCE + private_key_jwt + DPoP: a DPoP-bound token; the authorization response carries iss", async () => {
    const { key, client } = await fapiClient()
    const { verifier, challenge } = await pkcePair()
    const pushed = await push(client.clientId, key, authorizationFields(client.clientId, challenge))
    expect(pushed.status).toBe(201)
    const { request_uri } = await pushed.json<{ request_uri: string }>()
    const callback = await signIn(new Browser(), client, await seedUser(), { request_uri, response_type: null, redirect_uri: null, scope: null, state: null, nonce: null })
    expect(callback.searchParams.get("iss")).toBe(ORIGIN)
    expect(callback.searchParams.get("state")).toBe("fapi-state")
    const code = callback.searchParams.get("code")!
    const dpopKey = await newDpopKey()
    const fields = { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT_URI }
    // Without a proof: refused, and the code is not spent by the refusal.
    const bare = await postForm("/token", { ...fields, ...assertionFields(await clientAssertion(client.clientId, key)) })
    expect(bare.status).toBe(400)
    expect(await bare.json()).toMatchObject({ error: "invalid_dpop_proof" })
    const response = await postForm("/token", { ...fields, ...assertionFields(await clientAssertion(client.clientId, key)) }, undefined, { dpop: await proofFor(dpopKey, "POST", "/token") })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ token_type: "DPoP" })
  })

  it("refresh tokens are not rotated (FAPI 2.0 SP §5.3.2.1): the same token comes back and stays usable, concurrently too", async () => {
    const { key, client } = await fapiClient()
    const { verifier, challenge } = await pkcePair()
    const pushed = await push(client.clientId, key, authorizationFields(client.clientId, challenge, { scope: "openid offline_access" }))
    const { request_uri } = await pushed.json<{ request_uri: string }>()
    const callback = await signIn(new Browser(), client, await seedUser(), { request_uri, response_type: null, redirect_uri: null, scope: null, state: null, nonce: null })
    const dpopKey = await newDpopKey()
    const tokenCall = async (fields: Record<string, string>) => postForm(
      "/token", { ...fields, ...assertionFields(await clientAssertion(client.clientId, key)) }, undefined, { dpop: await proofFor(dpopKey, "POST", "/token") }
    )
    type Tokens = { access_token: string; refresh_token?: string }
    const first = await (await tokenCall({ grant_type: "authorization_code", code: callback.searchParams.get("code")!, code_verifier: verifier, redirect_uri: REDIRECT_URI })).json<Tokens>()
    const refreshToken = first.refresh_token!
    expect(refreshToken).toEqual(expect.any(String))
    const refreshed = await Promise.all(Array.from({ length: 5 }, async () => {
      const response = await tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken })
      return { status: response.status, body: await response.json<Tokens>() }
    }))
    expect(refreshed.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(refreshed.map((r) => r.body.refresh_token)).toEqual(new Array(5).fill(refreshToken))
    expect(new Set(refreshed.map((r) => r.body.access_token)).size).toBe(5)
    // Later uses (outside any grace window a rotating client has) still work: nothing was rotated out.
    const later = await tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken })
    expect(later.status).toBe(200)
    expect((await later.json<Tokens>()).refresh_token).toBe(refreshToken)
    // Revocation still ends it.
    const revoked = await postForm("/revoke", { token: refreshToken, ...assertionFields(await clientAssertion(client.clientId, key)) })
    expect(revoked.status).toBe(200)
    const afterRevoke = await tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken })
    expect(afterRevoke.status).toBe(400)
    expect(await afterRevoke.json()).toMatchObject({ error: "invalid_grant" })
  })

  it("an authorization request not pushed is invalid_request at the redirect_uri", async () => {
    const { client } = await fapiClient()
    const { challenge } = await pkcePair()
    const callback = callbackOf(await new Browser().request(authorizeUrl(client.clientId, { code_challenge: challenge, code_challenge_method: "S256" })))
    expect(callback.searchParams.get("error")).toBe("invalid_request")
    expect(callback.searchParams.get("code")).toBeNull()
  })

  it("a push without PKCE or without redirect_uri is invalid_request", async () => {
    const { key, client } = await fapiClient()
    const withoutPkce = await push(client.clientId, key, authorizationFields(client.clientId, null))
    expect(withoutPkce.status).toBe(400)
    expect(await withoutPkce.json()).toMatchObject({ error: "invalid_request" })
    const { challenge } = await pkcePair()
    const fields: Record<string, string> = authorizationFields(client.clientId, challenge)
    delete fields.redirect_uri
    const withoutRedirect = await push(client.clientId, key, fields)
    expect(withoutRedirect.status).toBe(400)
    expect(await withoutRedirect.json()).toMatchObject({ error: "invalid_request" })
  })

  it("a fapi2_security client with a client secret or no authentication cannot be written", async () => {
    for (const tokenEndpointAuthMethod of ["client_secret_basic", "none"] as const) {
      const result = await env.IDENTITY_SEED.upsertClient({
        clientId: `fapi-bad-${crypto.randomUUID()}`, redirectUris: [REDIRECT_URI], tokenEndpointAuthMethod, fapiProfile: "fapi2_security"
      })
      expect(result._tag).toBe("Failure")
      if (result._tag === "Failure") expect(result.error).toMatchObject({ _tag: "OAuthError", code: "invalid_client_metadata" })
    }
  })
})
