/**
 * Request objects by reference (JAR RFC 9101 §5.2, OIDC Core §6.2) through
 * the edge and the real identity service: the edge fetches the client-hosted
 * object from a real HTTP server (test-support/request_object_host.ts) once
 * per authorization request, only from a registered request_uri, within the
 * size and time limits, and then applies every rule of a request by value.
 */
import { env } from "cloudflare:workers"
import { SignJWT } from "jose"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { Browser, ORIGIN } from "./support/browser.ts"
import { assertionFields, clientAssertion, clientKey, seedKeyClient, type ClientKey } from "./support/client_keys.ts"
import { REDIRECT_URI, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, jwtPayload, pkcePair, postForm, signIn } from "./support/flows.ts"

const HOST = env.REQUEST_OBJECT_HOST

/** A signed request object for `clientId` (iss = client, aud = the issuer, 5 minutes). */
const signedObject = (clientId: string, key: ClientKey, claims: Record<string, unknown>) => {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.publicJwk.kid! })
    .setIssuedAt(now).setIssuer(clientId).setAudience(ORIGIN).setExpirationTime(now + 300).sign(key.privateKey)
}

/** Stores `body` on the RP's server; its id. */
const host = async (body: string): Promise<string> => {
  const id = crypto.randomUUID()
  const stored = await fetch(`${HOST}/o/${id}`, { method: "PUT", body })
  expect(stored.status).toBe(204)
  return id
}

const fetchCount = async (id: string) => Number(await (await fetch(`${HOST}/count/${id}`)).text())

const sha256 = async (text: string) => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))
  return btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

/** A private_key_jwt client that registered the host's `/o/` prefix (and one exact URI). */
const referenceClient = async (extra: Record<string, unknown> = {}) => {
  const key = await clientKey("ES256")
  const client = await seedKeyClient(key, { skipConsent: true, requestUris: [`${HOST}/o/`, `${HOST}/slow/`, `${HOST}/redirect/`, `${HOST}/big`, `${HOST}/missing`], ...extra })
  return { key, client }
}

/** The parameters the RP puts inside its object. */
const claimsFor = (clientId: string, challenge: string) => ({
  response_type: "code", client_id: clientId, redirect_uri: REDIRECT_URI, scope: "openid profile",
  state: "ref-state", nonce: "ref-nonce", code_challenge: challenge, code_challenge_method: "S256"
})

/** `/authorize` with only client_id, request_uri and a query state (to see which state answers). */
const authorizeByReference = (clientId: string, requestUri: string, browser = new Browser()) =>
  browser.request(authorizeUrl(clientId, { request_uri: requestUri, state: "query-state", nonce: null, scope: "openid" }))

const expectRefused = (response: Response, error: string) => {
  const callback = callbackOf(response)
  expect(callback.searchParams.get("error"), callback.toString()).toBe(error)
  expect(callback.searchParams.get("code")).toBeNull()
}

describe("request_uri by reference at /authorize — RFC 9101 §5.2", () => {
  it("the hosted object leads to a code; its parameters win over the query; it was fetched exactly once", async () => {
    const { key, client } = await referenceClient()
    const { verifier, challenge } = await pkcePair()
    const id = await host(await signedObject(client.clientId, key, claimsFor(client.clientId, challenge)))
    const callback = await signIn(new Browser(), client, await seedUser(), { request_uri: `${HOST}/o/${id}`, state: "query-state", scope: "openid" })
    expect(callback.searchParams.get("state")).toBe("ref-state")
    const response = await postForm("/token", {
      grant_type: "authorization_code", code: callback.searchParams.get("code")!, code_verifier: verifier, redirect_uri: REDIRECT_URI,
      ...assertionFields(await clientAssertion(client.clientId, key))
    })
    expect(response.status).toBe(200)
    const body = await response.json<{ id_token: string; scope: string }>()
    expect(jwtPayload(body.id_token).nonce).toBe("ref-nonce")
    expect(body.scope.split(" ").sort()).toEqual(["openid", "profile"])
    expect(await fetchCount(id)).toBe(1)
  })

  it("20 concurrent authorization requests with one request_uri: each fetches once, each succeeds", async () => {
    const { key, client } = await referenceClient()
    const { challenge } = await pkcePair()
    const id = await host(await signedObject(client.clientId, key, claimsFor(client.clientId, challenge)))
    const responses = await Promise.all(Array.from({ length: 20 }, () => authorizeByReference(client.clientId, `${HOST}/o/${id}`)))
    for (const response of responses) {
      // Not signed in: the login page (200), never an error redirect.
      expect(response.status).toBe(200)
      expect(await response.text()).toContain('name="password"')
    }
    expect(await fetchCount(id)).toBe(20)
  })

  it("a fragment must be the SHA-256 of the object (OIDC Core §6.2): right hash accepted, wrong one refused", async () => {
    const { key, client } = await referenceClient()
    const { challenge } = await pkcePair()
    const object = await signedObject(client.clientId, key, claimsFor(client.clientId, challenge))
    const id = await host(object)
    const ok = await authorizeByReference(client.clientId, `${HOST}/o/${id}#${await sha256(object)}`)
    expect(ok.status).toBe(200)
    expectRefused(await authorizeByReference(client.clientId, `${HOST}/o/${id}#${await sha256(`${object}x`)}`), "invalid_request_uri")
  })

  it("a URI the client did not register, or a client with no request_uris, is invalid_request_uri and nothing is fetched", async () => {
    const { key, client } = await referenceClient({ requestUris: [`${HOST}/o/only-this-one`] })
    const { challenge } = await pkcePair()
    const id = await host(await signedObject(client.clientId, key, claimsFor(client.clientId, challenge)))
    expectRefused(await authorizeByReference(client.clientId, `${HOST}/o/${id}`), "invalid_request_uri")
    const { client: none } = await referenceClient({ requestUris: [] })
    expectRefused(await authorizeByReference(none.clientId, `${HOST}/o/${id}`), "invalid_request_uri")
    expect(await fetchCount(id)).toBe(0)
  })

  it("a client that must use PAR gets the PAR refusal (invalid_request) and its object is never fetched", async () => {
    const { key, client } = await referenceClient({ requirePushedAuthorizationRequests: true })
    const { challenge } = await pkcePair()
    const id = await host(await signedObject(client.clientId, key, claimsFor(client.clientId, challenge)))
    const callback = callbackOf(await authorizeByReference(client.clientId, `${HOST}/o/${id}`))
    expect(callback.searchParams.get("error")).toBe("invalid_request")
    expect(callback.searchParams.get("error_description")).toContain("pushed authorization requests")
    expect(callback.searchParams.get("state")).toBe("query-state")
    expect(await fetchCount(id)).toBe(0)
  })

  it("with no redirect_uri outside the object, a refused reference is an error page naming invalid_request_uri", async () => {
    const { key, client } = await referenceClient({ requestUris: [`${HOST}/o/only-this-one`] })
    const { challenge } = await pkcePair()
    const id = await host(await signedObject(client.clientId, key, claimsFor(client.clientId, challenge)))
    const response = await new Browser().request(`/authorize?${new URLSearchParams({ client_id: client.clientId, request_uri: `${HOST}/o/${id}` })}`)
    expect(response.status).toBe(400)
    expect(response.headers.get("location")).toBeNull()
    const page = await response.text()
    expect(page).toContain("<code>invalid_request_uri</code>")
    expect(page).not.toContain("redirect_uri is required")
  })

  it("refuses what is not a usable https reference: not a URL, too long, userinfo, an unregistered scheme", async () => {
    const { client } = await referenceClient()
    for (const uri of ["not a url", `${HOST}/o/${"x".repeat(600)}`, HOST.replace("http://", "http://user:pw@") + "/o/x", "ftp://127.0.0.1/o/x"]) {
      expectRefused(await authorizeByReference(client.clientId, uri), "invalid_request_uri")
    }
  })

  it("a 404, a redirect, an oversized body or a host slower than 5 s is invalid_request_uri", async () => {
    const { key, client } = await referenceClient()
    const { challenge } = await pkcePair()
    const id = await host(await signedObject(client.clientId, key, claimsFor(client.clientId, challenge)))
    for (const uri of [`${HOST}/missing`, `${HOST}/redirect/${id}`, `${HOST}/big`, `${HOST}/slow/${id}`]) {
      expectRefused(await authorizeByReference(client.clientId, uri), "invalid_request_uri")
    }
    // The redirect was not followed, the slow answer came too late: nothing counted as served in time.
    expect(await fetchCount(id)).toBeLessThanOrEqual(1)
  })

  it("the fetched object gets every by-value check: unsigned or signed by another key is invalid_request_object", async () => {
    const { client } = await referenceClient()
    const { challenge } = await pkcePair()
    const claims = claimsFor(client.clientId, challenge)
    const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
    const unsigned = await host(`${encode({ alg: "none" })}.${encode({ ...claims, iss: client.clientId, aud: ORIGIN })}.`)
    const foreign = await host(await signedObject(client.clientId, await clientKey("ES256"), claims))
    const notAJwt = await host("<html>hello</html>")
    for (const id of [unsigned, foreign, notAJwt]) expectRefused(await authorizeByReference(client.clientId, `${HOST}/o/${id}`), "invalid_request_object")
  })

  it("request and request_uri together, or request_uri twice, is invalid_request", async () => {
    const { key, client } = await referenceClient()
    const { challenge } = await pkcePair()
    const object = await signedObject(client.clientId, key, claimsFor(client.clientId, challenge))
    const id = await host(object)
    expectRefused(await new Browser().request(authorizeUrl(client.clientId, { request_uri: `${HOST}/o/${id}`, request: object })), "invalid_request")
    expectRefused(await new Browser().request(`${authorizeUrl(client.clientId, { request_uri: `${HOST}/o/${id}` })}&request_uri=${encodeURIComponent(`${HOST}/o/${id}`)}`), "invalid_request")
    expect(await fetchCount(id)).toBe(0)
  })

  it("outside development, plain http (even on loopback) is refused before any fetch", async () => {
    const { key, client } = await referenceClient()
    const { challenge } = await pkcePair()
    const id = await host(await signedObject(client.clientId, key, claimsFor(client.clientId, challenge)))
    const production = { ...env, AUTHRIM_ENV: "production", ISSUER: ORIGIN }
    const response = await worker.fetch(new Request(authorizeUrl(client.clientId, { request_uri: `${HOST}/o/${id}` }), { redirect: "manual" }), production)
    expectRefused(response, "invalid_request_uri")
    expect(await fetchCount(id)).toBe(0)
  })
})

describe("request_uris client metadata — OIDC Registration §2", () => {
  it("registration accepts and answers request_uris, and refuses a non-https one", async () => {
    const issued = await env.IDENTITY_ADMIN.createInitialAccessToken({ adminUserId: "admin-test" })
    if (issued._tag === "Failure") throw new Error(JSON.stringify(issued.error))
    const register = (body: unknown) => new Browser().request("/register", {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${issued.value.token}` }, body: JSON.stringify(body)
    })
    const ok = await register({ redirect_uris: ["https://rp.test/cb"], request_uris: ["https://rp.test/requests/"] })
    expect(ok.status).toBe(201)
    expect(await ok.json()).toMatchObject({ request_uris: ["https://rp.test/requests/"] })
    const bad = await register({ redirect_uris: ["https://rp.test/cb"], request_uris: ["http://rp.test/requests/"] })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: "invalid_client_metadata" })
  })
})
