/**
 * Issue 14: the `claims` request parameter (OIDC Core §5.5) through the edge
 * and the real backends: `id_token` member claims in the ID token, `userinfo`
 * member claims at /userinfo, beyond what the scope releases and only when
 * the user has them; also in a signed request object (JAR) and by PAR;
 * strict parsing (ugly inputs → invalid_request at the redirect_uri).
 */
import { env } from "cloudflare:workers"
import { SignJWT } from "jose"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"
import { assertionFields, clientAssertion, clientKey, seedKeyClient } from "./support/client_keys.ts"
import { seedClient, seedUser, type SeededClient, type SeededUser } from "./support/fixtures.ts"
import { authorizeUrl, basicAuth, callbackOf, jwtPayload, pkcePair, postForm, redeemCode, signIn } from "./support/flows.ts"

const phone = { phone_number: "+81312345678", phone_number_verified: true }
const address = { postal_code: "100-0001", region: "Tokyo", country: "JP" }

const userWithPhone = async (): Promise<SeededUser> => {
  const user = await seedUser()
  const result = await env.IDENTITY.updateUserProfile({
    userId: user.id, patch: { ...phone, address, given_name: "Hanako" }, editor: { kind: "admin", id: "claims-param-test" }
  })
  if (result._tag !== "Success") throw new Error(JSON.stringify(result.error))
  return user
}

const tokensFor = async (client: SeededClient, user: SeededUser, params: Record<string, string>) => {
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(new Browser(), client, user, { code_challenge: challenge, code_challenge_method: "S256", ...params })
  const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
  expect(response.status).toBe(200)
  return response.json<{ access_token: string; id_token: string; refresh_token?: string }>()
}

const userinfoOf = async (accessToken: string) => {
  const response = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${accessToken}` } })
  expect(response.status).toBe(200)
  return response.json<Record<string, unknown>>()
}

describe("claims request parameter — OIDC Core §5.5", () => {
  it("id_token member: the requested claims the user has, in the ID token, beyond the scope; never the protocol claims", async () => {
    const client = await seedClient({ skipConsent: true, scope: "openid profile email phone address" })
    const user = await userWithPhone()
    const claims = JSON.stringify({
      id_token: {
        phone_number: { essential: true }, email: null, address: null, nickname: null, // nickname: the user has none
        sub: null, auth_time: { essential: true }, iss: null, "urn:x:unknown": null
      }
    })
    const tokens = await tokensFor(client, user, { scope: "openid", claims })
    const idToken = jwtPayload(tokens.id_token)
    expect(idToken).toMatchObject({ sub: user.id, phone_number: phone.phone_number, email: user.email, address, iss: "https://op.test" })
    expect(idToken).not.toHaveProperty("nickname")
    expect(idToken).not.toHaveProperty("urn:x:unknown")
    expect(idToken).not.toHaveProperty("given_name")
    expect(typeof idToken.auth_time).toBe("number")
    // The userinfo member was not asked: /userinfo releases by the scope (openid only → sub).
    expect(await userinfoOf(tokens.access_token)).toEqual({ sub: user.id })
  })

  it("userinfo member: released at /userinfo beyond the scope, not in the ID token", async () => {
    const client = await seedClient({ skipConsent: true, scope: "openid profile email phone address" })
    const user = await userWithPhone()
    const claims = JSON.stringify({ userinfo: { phone_number: null, phone_number_verified: null, email: { essential: true }, middle_name: null } })
    const tokens = await tokensFor(client, user, { scope: "openid profile", claims })
    const userinfo = await userinfoOf(tokens.access_token)
    expect(userinfo).toMatchObject({ sub: user.id, given_name: "Hanako", ...phone, email: user.email })
    expect(userinfo).not.toHaveProperty("middle_name")
    expect(userinfo).not.toHaveProperty("address")
    const idToken = jwtPayload(tokens.id_token)
    expect(idToken).not.toHaveProperty("phone_number")
    expect(jwtPayload(tokens.access_token).authrim_userinfo_claims).toEqual(["phone_number", "phone_number_verified", "email", "middle_name"])
  })

  it("ugly claims parameters are invalid_request at the redirect_uri (state and iss kept)", async () => {
    const client = await seedClient({ skipConsent: true })
    const ugly = [
      "{not json", "[]", "\"text\"", "null", "42", JSON.stringify({ id_token: [] }), JSON.stringify({ userinfo: "email" }),
      JSON.stringify({ userinfo: { email: true } }), JSON.stringify({ userinfo: { email: [] } }),
      JSON.stringify({ id_token: { acr: { essential: "yes" } } }), JSON.stringify({ id_token: { acr: { values: "phr" } } }),
      JSON.stringify({ id_token: { acr: { values: [{ a: 1 }] } } }), JSON.stringify({ id_token: { email: { value: { x: 1 } } } }),
      JSON.stringify({ id_token: { "": null } }), `{"id_token":{"email":null}}${" ".repeat(5000)}`
    ]
    for (const claims of ugly) {
      const callback = callbackOf(await new Browser().request(authorizeUrl(client.clientId, { claims })))
      expect([claims.slice(0, 40), callback.searchParams.get("error")]).toEqual([claims.slice(0, 40), "invalid_request"])
      expect(callback.searchParams.get("state")).toBe("state-123")
    }
    // Unknown members are extensions (§5.5): ignored, as is an empty object.
    for (const claims of ["{}", JSON.stringify({ other: 1, id_token: { email: { essential: false, extra: [1] } } })]) {
      const response = await new Browser().request(authorizeUrl(client.clientId, { claims }))
      expect(response.status).toBe(200)
    }
  })

  it("works by PAR: the pushed claims parameter reaches the ID token", async () => {
    const client = await seedClient({ skipConsent: true, scope: "openid profile email phone address" })
    const user = await userWithPhone()
    const { verifier, challenge } = await pkcePair()
    const pushed = await new Browser().request("/par", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!) },
      body: new URLSearchParams({
        response_type: "code", client_id: client.clientId, redirect_uri: "https://rp.test/cb", scope: "openid", state: "par-state",
        code_challenge: challenge, code_challenge_method: "S256", claims: JSON.stringify({ id_token: { phone_number: null } })
      }).toString()
    })
    expect(pushed.status).toBe(201)
    const { request_uri } = await pushed.json<{ request_uri: string }>()
    const callback = await signIn(new Browser(), client, user, {
      request_uri, response_type: null, redirect_uri: null, scope: null, state: null, nonce: null
    })
    const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
    expect(jwtPayload((await response.json<{ id_token: string }>()).id_token).phone_number).toBe(phone.phone_number)
    const badPush = await new Browser().request("/par", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!) },
      body: new URLSearchParams({
        response_type: "code", client_id: client.clientId, redirect_uri: "https://rp.test/cb", scope: "openid",
        code_challenge: challenge, code_challenge_method: "S256", claims: "{\"userinfo\":5}"
      }).toString()
    })
    expect(badPush.status).toBe(400)
    expect((await badPush.json<{ error: string }>()).error).toBe("invalid_request")
  })

  it("works in a signed request object (JAR): claims as a JSON object member; a malformed one is invalid_request", async () => {
    const key = await clientKey("ES256")
    const client = await seedKeyClient(key, { skipConsent: true, scope: "openid profile email phone address" })
    const user = await userWithPhone()
    const { verifier, challenge } = await pkcePair()
    const sign = (claims: unknown) => new SignJWT({
      response_type: "code", client_id: client.clientId, redirect_uri: "https://rp.test/cb", scope: "openid", state: "jar-state",
      code_challenge: challenge, code_challenge_method: "S256", claims
    }).setProtectedHeader({ alg: key.alg, kid: key.publicJwk.kid! }).setIssuedAt().setIssuer(client.clientId).setAudience(ORIGIN)
      .setExpirationTime("5m").sign(key.privateKey)
    const request = await sign({ id_token: { phone_number: { essential: true } }, userinfo: { email: null } })
    const callback = await signIn(new Browser(), client, user, { request, scope: "openid", state: "query-state", nonce: null })
    const response = await postForm("/token", {
      grant_type: "authorization_code", code: callback.searchParams.get("code")!, code_verifier: verifier, redirect_uri: "https://rp.test/cb",
      ...assertionFields(await clientAssertion(client.clientId, key))
    })
    expect(response.status).toBe(200)
    const tokens = await response.json<{ id_token: string; access_token: string }>()
    expect(jwtPayload(tokens.id_token).phone_number).toBe(phone.phone_number)
    expect(await userinfoOf(tokens.access_token)).toEqual({ sub: user.id, email: user.email })
    const bad = await new Browser().request(`/authorize?${new URLSearchParams({
      client_id: client.clientId, response_type: "code", request: await sign({ id_token: { acr: { essential: 1 } } })
    })}`)
    expect(callbackOf(bad).searchParams.get("error")).toBe("invalid_request")
  })

  it("discovery says claims_parameter_supported", async () => {
    const metadata = await (await new Browser().request("/.well-known/openid-configuration")).json<Record<string, unknown>>()
    expect(metadata.claims_parameter_supported).toBe(true)
  })
})

describe("claims request across a refresh — OIDC Core §12.2", () => {
  it("the refreshed ID token and access token carry the same claims request", async () => {
    const client = await seedClient({ skipConsent: true, grantTypes: ["authorization_code", "refresh_token"], scope: "openid phone offline_access" })
    const user = await userWithPhone()
    const claims = JSON.stringify({ id_token: { phone_number: null }, userinfo: { address: null } })
    const tokens = await tokensFor(client, user, { scope: "openid offline_access", claims })
    expect(tokens.refresh_token).toBeTruthy()
    const refreshed = await new Browser().request("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!) },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token! }).toString()
    })
    expect(refreshed.status).toBe(200)
    const next = await refreshed.json<{ access_token: string; id_token: string }>()
    expect(jwtPayload(next.id_token)).toMatchObject({ sub: user.id, phone_number: phone.phone_number })
    expect(await userinfoOf(next.access_token)).toEqual({ sub: user.id, address })
  })
})
