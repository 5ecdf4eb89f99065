import { env } from "cloudflare:workers"
import { decodeJwt, SignJWT, base64url } from "jose"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"
import { assertionFields, clientAssertion, clientKey, seedKeyClient } from "./support/client_keys.ts"
import { REDIRECT_URI, seedClient, seedUser } from "./support/fixtures.ts"
import { pkcePair, postForm, signIn } from "./support/flows.ts"

const machineGrant = { grant_type: "client_credentials", scope: "profile" }
const machine = { grantTypes: ["client_credentials"], redirectUris: [], scope: "profile email" }

const expectInvalidClient = async (response: Response) => {
  expect(response.status).toBe(401)
  expect((await response.json<{ error: string }>()).error).toBe("invalid_client")
  expect(response.headers.get("www-authenticate")).toBeNull()
}

describe("private_key_jwt client authentication — RFC 7523 §3, OIDC Core §9", () => {
  it("authenticates the authorization_code grant with an ES256 assertion from the registered jwks", async () => {
    const key = await clientKey("ES256")
    const client = await seedKeyClient(key, { skipConsent: true })
    const { verifier, challenge } = await pkcePair()
    const callback = await signIn(new Browser(), client, await seedUser(), { code_challenge: challenge, code_challenge_method: "S256" })
    const response = await postForm("/token", {
      grant_type: "authorization_code", code: callback.searchParams.get("code")!, code_verifier: verifier, redirect_uri: REDIRECT_URI,
      ...assertionFields(await clientAssertion(client.clientId, key))
    })
    expect(response.status).toBe(200)
    const body = await response.json<{ id_token: string }>()
    expect(decodeJwt(body.id_token).aud).toBe(client.clientId)
  })

  it("authenticates client_credentials with RS256, PS256 and EdDSA keys", async () => {
    for (const alg of ["RS256", "PS256", "EdDSA"] as const) {
      const key = await clientKey(alg)
      const client = await seedKeyClient(key, machine)
      const response = await postForm("/token", { ...machineGrant, ...assertionFields(await clientAssertion(client.clientId, key)) })
      expect(response.status, alg).toBe(200)
      expect(decodeJwt((await response.json<{ access_token: string }>()).access_token).sub).toBe(client.clientId)
    }
  })

  it("aud may be the issuer or the token endpoint URL; a matching client_id may accompany the assertion", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key, machine)
    for (const aud of [ORIGIN, `${ORIGIN}/token`, ["https://elsewhere.test", ORIGIN]]) {
      const response = await postForm("/token", {
        ...machineGrant, client_id: client.clientId, ...assertionFields(await clientAssertion(client.clientId, key, { aud }))
      })
      expect(response.status).toBe(200)
    }
  })

  it("works at /introspect and /revoke too (aud = that endpoint)", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key, machine)
    const issued = await postForm("/token", { ...machineGrant, ...assertionFields(await clientAssertion(client.clientId, key)) })
    const { access_token } = await issued.json<{ access_token: string }>()
    const introspect = await postForm("/introspect", {
      token: access_token, ...assertionFields(await clientAssertion(client.clientId, key, { aud: `${ORIGIN}/introspect` }))
    })
    expect((await introspect.json<{ active: boolean }>()).active).toBe(true)
    const revoke = await postForm("/revoke", { token: access_token, ...assertionFields(await clientAssertion(client.clientId, key, { aud: ORIGIN })) })
    expect(revoke.status).toBe(200)
  })

  it("a replayed assertion (same jti) is invalid_client", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key, machine)
    const assertion = await clientAssertion(client.clientId, key)
    expect((await postForm("/token", { ...machineGrant, ...assertionFields(assertion) })).status).toBe(200)
    await expectInvalidClient(await postForm("/token", { ...machineGrant, ...assertionFields(assertion) }))
    // A new assertion reusing the jti is a replay too.
    const sameJti = await clientAssertion(client.clientId, key, { jti: decodeJwt(assertion).jti! })
    await expectInvalidClient(await postForm("/token", { ...machineGrant, ...assertionFields(sameJti) }))
  })

  it("a rejected assertion does not spend its jti", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key, machine)
    const jti = crypto.randomUUID()
    await expectInvalidClient(await postForm("/token", { ...machineGrant, ...assertionFields(await clientAssertion(client.clientId, key, { jti, aud: "https://evil.test" })) }))
    expect((await postForm("/token", { ...machineGrant, ...assertionFields(await clientAssertion(client.clientId, key, { jti })) })).status).toBe(200)
  })

  it("rejects a wrong aud, an expired or missing exp, an exp too far ahead, a missing jti, and iss ≠ sub", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key, machine)
    const other = await seedKeyClient(key, machine)
    const bad = [
      { aud: "https://op.test/authorize" },
      { aud: "https://other-op.test/token" },
      { expiresIn: -120 },
      { expiresIn: null },
      { expiresIn: 3600 },
      { jti: null },
      { iss: other.clientId }
    ]
    for (const overrides of bad) {
      await expectInvalidClient(await postForm("/token", { ...machineGrant, ...assertionFields(await clientAssertion(client.clientId, key, overrides)) }))
    }
  })

  it("rejects an assertion signed by another key, one with alg none, and one HMAC-signed", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key, machine)
    const stranger = await clientKey()
    const wrongKey = await clientAssertion(client.clientId, { ...stranger, publicJwk: key.publicJwk })
    await expectInvalidClient(await postForm("/token", { ...machineGrant, ...assertionFields(wrongKey) }))
    const now = Math.floor(Date.now() / 1000)
    const claims = { iss: client.clientId, sub: client.clientId, aud: `${ORIGIN}/token`, exp: now + 60, jti: crypto.randomUUID() }
    const encode = (value: object) => base64url.encode(JSON.stringify(value))
    const unsigned = `${encode({ alg: "none" })}.${encode(claims)}.`
    await expectInvalidClient(await postForm("/token", { ...machineGrant, ...assertionFields(unsigned) }))
    const hmac = await new SignJWT({ ...claims, jti: crypto.randomUUID() }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("x".repeat(32)))
    await expectInvalidClient(await postForm("/token", { ...machineGrant, ...assertionFields(hmac) }))
  })

  it("a secret-based client cannot authenticate with an assertion, nor a key client with a secret or none", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key, machine)
    await expectInvalidClient(await postForm("/token", { ...machineGrant, client_id: client.clientId }))
    await expectInvalidClient(await postForm("/token", { ...machineGrant, client_id: client.clientId, client_secret: "guess" }))
    const secretClient = await seedClient(machine)
    await expectInvalidClient(await postForm("/token", { ...machineGrant, ...assertionFields(await clientAssertion(secretClient.clientId, key)) }))
  })

  it("malformed assertion requests: wrong type is invalid_client, half a pair or a mixed method is invalid_request", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key, machine)
    const assertion = await clientAssertion(client.clientId, key)
    await expectInvalidClient(await postForm("/token", { ...machineGrant, client_assertion_type: "urn:example:other", client_assertion: assertion }))
    await expectInvalidClient(await postForm("/token", { ...machineGrant, ...assertionFields("not-a-jwt") }))
    await expectInvalidClient(await postForm("/token", { ...machineGrant, client_id: "someone-else", ...assertionFields(assertion) }))
    const half = await postForm("/token", { ...machineGrant, client_assertion: assertion })
    expect(half.status).toBe(400)
    expect((await half.json<{ error: string }>()).error).toBe("invalid_request")
    const mixed = await postForm("/token", { ...machineGrant, client_secret: "x", ...assertionFields(assertion) })
    expect((await mixed.json<{ error: string }>()).error).toBe("invalid_request")
  })

  it("registration refuses a private_key_jwt client without keys, with both jwks and jwks_uri, or with a private key", async () => {
    const key = await clientKey()
    const { privateKey } = key
    const { exportJWK } = await import("jose")
    const base = { clientId: `bad-${crypto.randomUUID()}`, redirectUris: [], grantTypes: ["client_credentials"], tokenEndpointAuthMethod: "private_key_jwt" as const }
    for (const extra of [{}, { jwks: { keys: [key.publicJwk] }, jwksUri: "https://rp.test/jwks" }, { jwks: { keys: [await exportJWK(privateKey)] } }, { jwksUri: "http://rp.test/jwks" }]) {
      const result = await env.IDENTITY_SEED.upsertClient({ ...base, ...extra })
      expect(result._tag).toBe("Failure")
    }
  })
})

describe("private_key_jwt single-use jti — race", () => {
  it("20 concurrent uses of one assertion: exactly one is accepted", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key, machine)
    const fields = { ...machineGrant, ...assertionFields(await clientAssertion(client.clientId, key)) }
    const responses = await Promise.all(Array.from({ length: 20 }, () => postForm("/token", fields)))
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(1)
    expect(statuses.filter((s) => s === 401)).toHaveLength(19)
  })
})
