/**
 * Signed request objects by value (JAR, RFC 9101; OIDC Core §6.1) at
 * `/authorize` and inside a PAR push: verified with the client's registered
 * keys, the object's parameters replace the query, and every refusal is
 * `invalid_request_object` at the registered redirect_uri (or the PAR JSON).
 */
import { SignJWT } from "jose"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"
import { assertionFields, clientAssertion, clientKey, seedKeyClient, type ClientKey } from "./support/client_keys.ts"
import { REDIRECT_URI, seedClient, seedUser } from "./support/fixtures.ts"
import { callbackOf, jwtPayload, pkcePair, postForm, signIn } from "./support/flows.ts"

/** The authorization request an RP puts inside its request object. */
const requestClaims = (clientId: string, challenge: string) => ({
  response_type: "code", client_id: clientId, redirect_uri: REDIRECT_URI, scope: "openid profile",
  state: "jar-state", nonce: "jar-nonce", code_challenge: challenge, code_challenge_method: "S256"
})

interface ObjectOptions {
  /** `null`: the claim is left out. */
  readonly aud?: string | null
  /** Seconds from now; `null`: no `exp`. */
  readonly expiresIn?: number | null
  readonly iss?: string | null
}

/** A request object signed with `key`: iss = client_id, aud = the issuer, 5 minutes of life unless overridden. */
const requestObject = (clientId: string, key: ClientKey, claims: Record<string, unknown>, options: ObjectOptions = {}) => {
  const now = Math.floor(Date.now() / 1000)
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.publicJwk.kid! }).setIssuedAt(now)
  const iss = options.iss === undefined ? clientId : options.iss
  const aud = options.aud === undefined ? ORIGIN : options.aud
  const expiresIn = options.expiresIn === undefined ? 300 : options.expiresIn
  if (iss !== null) jwt = jwt.setIssuer(iss)
  if (aud !== null) jwt = jwt.setAudience(aud)
  if (expiresIn !== null) jwt = jwt.setExpirationTime(now + expiresIn)
  return jwt.sign(key.privateKey)
}

/** Each way the envelope claims can be missing or wrong (issue 9 §5): all `invalid_request_object`. */
const badEnvelopes: ReadonlyArray<readonly [string, ObjectOptions]> = [
  ["no iss", { iss: null }],
  ["iss not the client_id", { iss: "someone-else" }],
  ["no aud", { aud: null }],
  ["aud another provider", { aud: "https://other-op.test" }],
  ["no exp", { expiresIn: null }],
  ["exp in the past", { expiresIn: -600 }],
  ["exp more than 60 minutes ahead", { expiresIn: 61 * 60 + 60 }],
  ["exp a day ahead", { expiresIn: 24 * 3600 }]
]

/** An unsigned (`alg: none`) JWT carrying `claims`. */
const unsignedObject = (claims: Record<string, unknown>) => {
  const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
  return `${encode({ alg: "none" })}.${encode(claims)}.`
}

/** `/authorize` with a query that disagrees with the object (other state, nonce, scope) and the object itself. */
const authorizeWithObject = (clientId: string, request: string) =>
  new Browser().request(`/authorize?${new URLSearchParams({
    client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "openid", state: "query-state", request
  })}`)

const expectInvalidRequestObject = (response: Response) => {
  const callback = callbackOf(response)
  expect(callback.searchParams.get("error")).toBe("invalid_request_object")
  expect(callback.searchParams.get("state")).toBe("query-state")
  expect(callback.searchParams.get("code")).toBeNull()
}

describe("Request object by value at /authorize — RFC 9101 §6", () => {
  it("a signed request object leads to a code, and the parameters inside the JWT win over the query", async () => {
    const key = await clientKey("ES256")
    const client = await seedKeyClient(key, { skipConsent: true })
    const { verifier, challenge } = await pkcePair()
    const request = await requestObject(client.clientId, key, requestClaims(client.clientId, challenge))
    const callback = await signIn(new Browser(), client, await seedUser(), { scope: "openid", state: "query-state", nonce: "query-nonce", request })
    expect(callback.searchParams.get("state")).toBe("jar-state")
    const code = callback.searchParams.get("code")!
    const response = await postForm("/token", {
      grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT_URI,
      ...assertionFields(await clientAssertion(client.clientId, key))
    })
    expect(response.status).toBe(200)
    const body = await response.json<{ id_token: string; scope: string }>()
    expect(jwtPayload(body.id_token).nonce).toBe("jar-nonce")
    expect(body.scope.split(" ").sort()).toEqual(["openid", "profile"])
  })

  it("refuses an object signed with another key, alg none, a wrong aud, a wrong iss or an expired one", async () => {
    const key = await clientKey("RS256")
    const client = await seedKeyClient(key, { skipConsent: true })
    const { challenge } = await pkcePair()
    const claims = requestClaims(client.clientId, challenge)
    const refused = [
      await requestObject(client.clientId, await clientKey("RS256"), claims),
      unsignedObject({ ...claims, iss: client.clientId, aud: ORIGIN }),
      await requestObject(client.clientId, key, claims, { aud: "https://other-op.test" }),
      await requestObject(client.clientId, key, claims, { iss: "someone-else" }),
      await requestObject(client.clientId, key, claims, { expiresIn: -600 })
    ]
    for (const request of refused) expectInvalidRequestObject(await authorizeWithObject(client.clientId, request))
  })

  it.each(badEnvelopes)("refuses a signed object with %s (issue 9 §5: iss = client_id, aud = issuer, exp ≤ 60 min)", async (_, options) => {
    const key = await clientKey("ES256")
    const client = await seedKeyClient(key, { skipConsent: true })
    const { challenge } = await pkcePair()
    expectInvalidRequestObject(await authorizeWithObject(client.clientId, await requestObject(client.clientId, key, requestClaims(client.clientId, challenge), options)))
  })

  it("accepts exp just under 60 minutes ahead and aud as an array naming the issuer", async () => {
    const key = await clientKey("ES256")
    const client = await seedKeyClient(key, { skipConsent: true })
    const { challenge } = await pkcePair()
    const claims = requestClaims(client.clientId, challenge)
    for (const request of [
      await requestObject(client.clientId, key, claims, { expiresIn: 59 * 60 }),
      await new SignJWT({ ...claims, aud: ["https://other-op.test", ORIGIN] }).setProtectedHeader({ alg: key.alg, kid: key.publicJwk.kid! })
        .setIssuer(client.clientId).setExpirationTime(Math.floor(Date.now() / 1000) + 300).sign(key.privateKey)
    ]) {
      const callback = await signIn(new Browser(), client, await seedUser(), { state: "query-state", request })
      expect(callback.searchParams.get("code")).not.toBeNull()
    }
  })

  it("refuses an object whose client_id or response_type contradicts the query", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key, { skipConsent: true })
    const { challenge } = await pkcePair()
    const claims = requestClaims(client.clientId, challenge)
    expectInvalidRequestObject(await authorizeWithObject(client.clientId, await requestObject(client.clientId, key, { ...claims, client_id: "other" })))
    expectInvalidRequestObject(await authorizeWithObject(client.clientId, await requestObject(client.clientId, key, { ...claims, response_type: "token" })))
  })

  it("a client without registered keys gets invalid_request_object", async () => {
    const client = await seedClient()
    const stranger = await clientKey()
    const { challenge } = await pkcePair()
    const request = await requestObject(client.clientId, stranger, requestClaims(client.clientId, challenge))
    expectInvalidRequestObject(await authorizeWithObject(client.clientId, request))
  })

  it("a refused object never redirects to an unregistered redirect_uri (error page instead)", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key)
    const response = await new Browser().request(`/authorize?${new URLSearchParams({
      client_id: client.clientId, redirect_uri: "https://evil.test/cb", request: unsignedObject({ redirect_uri: "https://evil.test/cb" })
    })}`)
    expect(response.status).toBe(400)
    expect(response.headers.get("location")).toBeNull()
  })
})

describe("Request object inside a pushed authorization request — RFC 9126 §3, RFC 9101", () => {
  const push = async (clientId: string, key: ClientKey, request: string) =>
    postForm("/par", { client_id: clientId, request, ...assertionFields(await clientAssertion(clientId, key, { aud: ORIGIN })) })

  it("a pushed signed request object leads to a code with the object's parameters", async () => {
    const key = await clientKey("PS256")
    const client = await seedKeyClient(key, { skipConsent: true })
    const { challenge } = await pkcePair()
    const pushed = await push(client.clientId, key, await requestObject(client.clientId, key, requestClaims(client.clientId, challenge)))
    expect(pushed.status).toBe(201)
    const { request_uri } = await pushed.json<{ request_uri: string }>()
    const callback = await signIn(new Browser(), client, await seedUser(), { request_uri, state: "query-state", scope: null, redirect_uri: null })
    expect(callback.searchParams.get("state")).toBe("jar-state")
    expect(callback.searchParams.get("code")).not.toBeNull()
  })

  it("a bad pushed request object is invalid_request_object in JSON at /par", async () => {
    const key = await clientKey()
    const client = await seedKeyClient(key)
    const { challenge } = await pkcePair()
    for (const request of [
      unsignedObject(requestClaims(client.clientId, challenge)),
      await requestObject(client.clientId, key, requestClaims(client.clientId, challenge), { expiresIn: -600 })
    ]) {
      const response = await push(client.clientId, key, request)
      expect(response.status).toBe(400)
      expect((await response.json<{ error: string }>()).error).toBe("invalid_request_object")
    }
  })

  it.each(badEnvelopes)("a pushed object with %s is invalid_request_object at /par, and no request_uri is issued", async (_, options) => {
    const key = await clientKey()
    const client = await seedKeyClient(key)
    const { challenge } = await pkcePair()
    const response = await push(client.clientId, key, await requestObject(client.clientId, key, requestClaims(client.clientId, challenge), options))
    expect(response.status).toBe(400)
    const body = await response.json<{ error: string; request_uri?: string }>()
    expect(body.error).toBe("invalid_request_object")
    expect(body.request_uri).toBeUndefined()
  })
})
