/**
 * Pushed Authorization Requests (RFC 9126) across the edge and the real
 * backends: `/par` (client authentication, the /authorize validation, 201),
 * `/authorize` by `request_uri` (single use, bound to the client, pushed
 * parameters win), the per-client and global requirement, discovery.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { Browser, ORIGIN } from "./support/browser.ts"
import { REDIRECT_URI, seedClient, seedUser, type SeededClient } from "./support/fixtures.ts"
import { authorizeUrl, basicAuth, callbackOf, jwtPayload, pkcePair, redeemCode, submitConsentForm, submitLoginForm } from "./support/flows.ts"

const requestUriPattern = /^urn:ietf:params:oauth:request_uri:par\d{2}_[A-Za-z0-9_-]{43}$/

/** The authorization request an RP would push (PKCE S256, state, nonce). */
const authorizationParams = (clientId: string, challenge: string, overrides: Record<string, string> = {}) => ({
  response_type: "code", client_id: clientId, redirect_uri: REDIRECT_URI, scope: "openid profile email",
  state: "pushed-state", nonce: "pushed-nonce", code_challenge: challenge, code_challenge_method: "S256", ...overrides
})

/** POST /par with the client's Basic credentials (confidential) or client_id alone (public). */
const pushRequest = (client: SeededClient, fields: Record<string, string>, envOverrides: Record<string, string> = {}) => {
  const request: Request<unknown, IncomingRequestCfProperties> = new Request(new URL("/par", ORIGIN), {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(client.secret === null ? {} : { authorization: basicAuth(client.clientId, client.secret) })
    },
    body: new URLSearchParams(fields).toString()
  })
  return worker.fetch(request, { ...env, ...envOverrides })
}

const pushed = async (client: SeededClient, fields: Record<string, string>) => {
  const response = await pushRequest(client, fields)
  expect(response.status).toBe(201)
  return response.json<{ request_uri: string; expires_in: number }>()
}

const authorizeByReference = (browser: Browser, clientId: string, requestUri: string, extra: Record<string, string> = {}) =>
  browser.request(`/authorize?${new URLSearchParams({ client_id: clientId, request_uri: requestUri, ...extra })}`)

const expectInvalidRequestUriPage = async (response: Response) => {
  expect(response.status).toBe(400)
  expect(response.headers.get("location")).toBeNull()
  expect(response.headers.get("content-type")).toContain("text/html")
  expect(await response.text()).toContain("invalid_request_uri")
}

describe("Pushed authorization request endpoint — RFC 9126 §2", () => {
  it("answers 201 with a request_uri and expires_in (90 s by default), never cached", async () => {
    const client = await seedClient()
    const { challenge } = await pkcePair()
    const response = await pushRequest(client, authorizationParams(client.clientId, challenge))
    expect(response.status).toBe(201)
    expect(response.headers.get("cache-control")).toBe("no-store")
    const body = await response.json<{ request_uri: string; expires_in: number }>()
    expect(body.request_uri).toMatch(requestUriPattern)
    expect(body.expires_in).toBe(90)
  })

  it("applies PAR_REQUEST_TTL_SECONDS, capped at 600 s", async () => {
    const client = await seedClient()
    const { challenge } = await pkcePair()
    const short = await pushRequest(client, authorizationParams(client.clientId, challenge), { PAR_REQUEST_TTL_SECONDS: "15" })
    expect((await short.json<{ expires_in: number }>()).expires_in).toBe(15)
    const long = await pushRequest(client, authorizationParams(client.clientId, challenge), { PAR_REQUEST_TTL_SECONDS: "3600" })
    expect((await long.json<{ expires_in: number }>()).expires_in).toBe(600)
  })

  it("authenticates the client as /token does: a wrong secret is 401 invalid_client", async () => {
    const client = await seedClient()
    const { challenge } = await pkcePair()
    const response = await pushRequest({ clientId: client.clientId, secret: "wrong" }, authorizationParams(client.clientId, challenge))
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: "invalid_client" })
  })

  it("validates like /authorize and answers in JSON: unregistered redirect_uri, missing PKCE of a public client, bad scope", async () => {
    const confidential = await seedClient()
    const publicClient = await seedClient({ tokenEndpointAuthMethod: "none" })
    const { challenge } = await pkcePair()
    const badRedirect = await pushRequest(confidential, authorizationParams(confidential.clientId, challenge, { redirect_uri: "https://evil.test/cb" }))
    expect(badRedirect.status).toBe(400)
    expect(await badRedirect.json()).toMatchObject({ error: "invalid_request" })
    const { code_challenge: _c, code_challenge_method: _m, ...withoutPkce } = authorizationParams(publicClient.clientId, challenge)
    const noPkce = await pushRequest(publicClient, withoutPkce)
    expect(noPkce.status).toBe(400)
    expect(await noPkce.json()).toMatchObject({ error: "invalid_request" })
    const badScope = await pushRequest(confidential, authorizationParams(confidential.clientId, challenge, { scope: "profile" }))
    expect(badScope.status).toBe(400)
    expect((await badScope.json<{ error: string }>()).error).toMatch(/invalid_scope|invalid_request/)
  })

  it("refuses a request_uri inside the pushed request (RFC 9126 §2.1)", async () => {
    const client = await seedClient()
    const { challenge } = await pkcePair()
    const response = await pushRequest(client, authorizationParams(client.clientId, challenge, { request_uri: "urn:ietf:params:oauth:request_uri:x" }))
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: "invalid_request" })
  })
})

describe("Authorization request by request_uri — RFC 9126 §4", () => {
  it("completes the code flow with the pushed parameters (state, nonce, PKCE)", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const { verifier, challenge } = await pkcePair()
    const { request_uri } = await pushed(client, authorizationParams(client.clientId, challenge))
    const browser = new Browser()
    let response = await browser.follow(await authorizeByReference(browser, client.clientId, request_uri))
    response = await browser.follow(await submitLoginForm(browser, response, user))
    const callback = callbackOf(await submitConsentForm(browser, response, "approve"))
    expect(callback.searchParams.get("state")).toBe("pushed-state")
    const tokens = await redeemCode(client, callback.searchParams.get("code")!, verifier)
    expect(tokens.status).toBe(200)
    const { id_token } = await tokens.json<{ id_token: string }>()
    expect(jwtPayload(id_token)).toMatchObject({ nonce: "pushed-nonce", aud: client.clientId, sub: user.id })
  })

  it("the pushed parameters win: other query parameters are ignored", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const { challenge } = await pkcePair()
    const { request_uri } = await pushed(client, authorizationParams(client.clientId, challenge))
    const browser = new Browser()
    let response = await browser.follow(await authorizeByReference(browser, client.clientId, request_uri, {
      state: "injected", redirect_uri: "https://rp.test/other", scope: "openid"
    }))
    response = await browser.follow(await submitLoginForm(browser, response, user))
    const callback = callbackOf(await submitConsentForm(browser, response, "approve"))
    expect(callback.searchParams.get("state")).toBe("pushed-state")
  })

  it("a request_uri is single use: the second authorization request gets invalid_request_uri (an error page)", async () => {
    const client = await seedClient()
    const { challenge } = await pkcePair()
    const { request_uri } = await pushed(client, authorizationParams(client.clientId, challenge))
    const first = await authorizeByReference(new Browser(), client.clientId, request_uri)
    expect(first.status).not.toBe(400)
    await expectInvalidRequestUriPage(await authorizeByReference(new Browser(), client.clientId, request_uri))
  })

  it("is bound to the client that pushed it: another client_id is refused and does not burn it", async () => {
    const owner = await seedClient()
    const other = await seedClient()
    const { challenge } = await pkcePair()
    const { request_uri } = await pushed(owner, authorizationParams(owner.clientId, challenge))
    await expectInvalidRequestUriPage(await authorizeByReference(new Browser(), other.clientId, request_uri))
    const owners = await authorizeByReference(new Browser(), owner.clientId, request_uri)
    expect(owners.status).not.toBe(400)
  })

  it("an unknown request_uri, or one without client_id, is an error page", async () => {
    await expectInvalidRequestUriPage(await authorizeByReference(new Browser(), "any", `urn:ietf:params:oauth:request_uri:par03_${"A".repeat(43)}`))
    const missingClient = await new Browser().request(`/authorize?request_uri=${encodeURIComponent(`urn:ietf:params:oauth:request_uri:par03_${"A".repeat(43)}`)}`)
    expect(missingClient.status).toBe(400)
    expect(missingClient.headers.get("location")).toBeNull()
  })

  it("20 concurrent uses of one request_uri: exactly one proceeds", async () => {
    const client = await seedClient()
    const { challenge } = await pkcePair()
    const { request_uri } = await pushed(client, authorizationParams(client.clientId, challenge))
    const responses = await Promise.all(Array.from({ length: 20 }, () => authorizeByReference(new Browser(), client.clientId, request_uri)))
    const refused = responses.filter((r) => r.status === 400)
    expect(responses.length - refused.length).toBe(1)
    expect(refused).toHaveLength(19)
    for (const response of refused) expect(await response.text()).toContain("invalid_request_uri")
  })
})

describe("Requiring PAR — RFC 9126 §5, §6", () => {
  it("a client registered with require_pushed_authorization_requests cannot send a plain authorization request", async () => {
    const client = await seedClient({ requirePushedAuthorizationRequests: true })
    const { challenge } = await pkcePair()
    const plain = callbackOf(await new Browser().request(authorizeUrl(client.clientId, { code_challenge: challenge, code_challenge_method: "S256" })))
    expect(plain.searchParams.get("error")).toBe("invalid_request")
    expect(plain.searchParams.get("code")).toBeNull()
    const { request_uri } = await pushed(client, authorizationParams(client.clientId, challenge))
    expect((await authorizeByReference(new Browser(), client.clientId, request_uri)).status).not.toBe(400)
  })

  it("REQUIRE_PAR=true requires it of every client and says so in discovery", async () => {
    const client = await seedClient()
    const strict = { ...env, REQUIRE_PAR: "true" }
    const plain = await worker.fetch(new Request(authorizeUrl(client.clientId)), strict)
    expect(new URL(plain.headers.get("location")!).searchParams.get("error")).toBe("invalid_request")
    const metadata = await (await worker.fetch(new Request(`${ORIGIN}/.well-known/openid-configuration`), strict)).json()
    expect(metadata).toMatchObject({ require_pushed_authorization_requests: true })
  })

  it("discovery advertises the endpoint, and no global requirement by default", async () => {
    const metadata = await (await new Browser().request("/.well-known/openid-configuration")).json()
    expect(metadata).toMatchObject({ pushed_authorization_request_endpoint: `${ORIGIN}/par`, require_pushed_authorization_requests: false })
  })

  it("a foreign request_uri (not pushed here) is a reference the client did not register: invalid_request_uri", async () => {
    const client = await seedClient()
    const callback = callbackOf(await new Browser().request(authorizeUrl(client.clientId, { request_uri: "https://rp.test/req" })))
    expect(callback.searchParams.get("error")).toBe("invalid_request_uri")
  })
})
