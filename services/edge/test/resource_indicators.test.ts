/**
 * RFC 8707 resource indicators through the edge with the real backends
 * (issue 14): a client registers the resources it may name (migration 0025);
 * `resource` (repeatable) at /authorize, /par, in request objects and at
 * /token makes the access token's `aud` the resource(s); /token may narrow
 * to a subset of the granted ones, never widen — refused before the code is
 * spent or the refresh token rotated. /userinfo refuses a token whose aud
 * lacks its own resource; introspection and resource servers read the aud.
 */
import { makeClient, ResourceServerContract } from "@authrim/contracts"
import { env } from "cloudflare:workers"
import { Effect, Exit } from "effect"
import { SignJWT } from "jose"
import { describe, expect, it } from "vitest"
import { basicAuth, authorizeUrl, callbackOf, jwtPayload, pkcePair, submitConsentForm, submitLoginForm } from "./support/flows.ts"
import { Browser, ORIGIN } from "./support/browser.ts"
import { assertionFields, clientAssertion, clientKey, seedKeyClient } from "./support/client_keys.ts"
import { REDIRECT_URI, seedClient, seedUser, type SeededClient } from "./support/fixtures.ts"

const NOTES = "https://notes.example/api"
const BILLING = "https://billing.example/api"
const CALENDAR = "urn:example:calendar"
const USERINFO = `${ORIGIN}/userinfo`

type TokenBody = { access_token: string; refresh_token?: string; scope: string; error?: string; error_description?: string }

/** A confidential RP registered for NOTES, BILLING and CALENDAR (code, refresh with offline_access, client_credentials). */
const resourceClient = (resources: ReadonlyArray<string> = [NOTES, BILLING, CALENDAR]) => seedClient({
  skipConsent: true,
  grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
  scope: "openid profile email offline_access",
  resources: [...resources]
})

/** `/authorize` for `client` with each of `resources` as its own `resource` parameter. */
const authorizeWith = (clientId: string, resources: ReadonlyArray<string>, params: Record<string, string | null> = {}) => {
  const url = new URL(authorizeUrl(clientId, params))
  for (const resource of resources) url.searchParams.append("resource", resource)
  return url.toString()
}

/** Walks a fresh user through `url` (login, consent if asked) to the redirect. */
const follow = async (url: string): Promise<Response> => {
  const browser = new Browser()
  let response = await browser.follow(await browser.request(url))
  if (response.status === 200 && (await response.clone().text()).includes("name=\"password\"")) {
    response = await browser.follow(await submitLoginForm(browser, response, await seedUser()))
  }
  if (response.status === 200 && (await response.clone().text()).includes("name=\"decision\"")) {
    response = await submitConsentForm(browser, response, "approve")
  }
  return response
}

/** A code for `resources` (PKCE S256), and its verifier. */
const codeFor = async (client: SeededClient, resources: ReadonlyArray<string>, scope = "openid profile offline_access") => {
  const { verifier, challenge } = await pkcePair()
  const callback = callbackOf(await follow(authorizeWith(client.clientId, resources, { scope, code_challenge: challenge, code_challenge_method: "S256" })))
  const code = callback.searchParams.get("code")
  expect(code, callback.toString()).not.toBeNull()
  return { code: code!, verifier }
}

/** POST /token with repeatable fields, Basic-authenticated as `client`. */
const tokenRequest = async (client: SeededClient, fields: ReadonlyArray<readonly [string, string]>) => {
  const response = await new Browser().request("/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!) },
    body: new URLSearchParams(fields.map(([n, v]) => [n, v])).toString()
  })
  return { status: response.status, body: await response.json<TokenBody>() }
}

const redeem = (client: SeededClient, grant: { code: string; verifier: string }, resources: ReadonlyArray<string> = []) =>
  tokenRequest(client, [
    ["grant_type", "authorization_code"], ["code", grant.code], ["redirect_uri", REDIRECT_URI], ["code_verifier", grant.verifier],
    ...resources.map((r) => ["resource", r] as const)
  ])

const refresh = (client: SeededClient, refreshToken: string, resources: ReadonlyArray<string> = []) =>
  tokenRequest(client, [["grant_type", "refresh_token"], ["refresh_token", refreshToken], ...resources.map((r) => ["resource", r] as const)])

const audOf = (token: string) => jwtPayload(token)["aud"]

const resourceServer = makeClient("tokens", ResourceServerContract, env.TOKENS_FOR_RESOURCE_SERVERS)

describe("Resource indicators — RFC 8707 at /authorize and the authorization_code grant", () => {
  it("one resource → aud is that string; two → aud is the array; none → the userinfo resource as before", async () => {
    const client = await resourceClient()
    const one = await redeem(client, await codeFor(client, [NOTES]))
    expect(one.status).toBe(200)
    expect(audOf(one.body.access_token)).toBe(NOTES)
    const two = await redeem(client, await codeFor(client, [NOTES, BILLING]))
    expect(audOf(two.body.access_token)).toEqual([NOTES, BILLING])
    const none = await redeem(client, await codeFor(client, []))
    expect(audOf(none.body.access_token)).toBe(USERINFO)
  })

  it("/token narrows to a subset of the granted resources", async () => {
    const client = await resourceClient()
    const narrowed = await redeem(client, await codeFor(client, [NOTES, BILLING]), [BILLING])
    expect(narrowed.status).toBe(200)
    expect(audOf(narrowed.body.access_token)).toBe(BILLING)
  })

  it("widening at /token is invalid_target and does not spend the code: the same code then redeems", async () => {
    const client = await resourceClient()
    const grant = await codeFor(client, [NOTES])
    // CALENDAR is registered by the client but was not granted by this code.
    const wider = await redeem(client, grant, [NOTES, CALENDAR])
    expect(wider.status).toBe(400)
    expect(wider.body.error).toBe("invalid_target")
    const unregistered = await redeem(client, grant, ["https://elsewhere.example/api"])
    expect(unregistered.body.error).toBe("invalid_target")
    const ok = await redeem(client, grant, [NOTES])
    expect(ok.status).toBe(200)
    expect(audOf(ok.body.access_token)).toBe(NOTES)
  })

  it("not registered, relative or with a fragment → invalid_target at the redirect_uri (with state), no code", async () => {
    const client = await resourceClient()
    const bare = await seedClient({ skipConsent: true })
    for (const [id, resources] of [
      [client.clientId, ["https://elsewhere.example/api"]], [client.clientId, ["/api/notes"]], [client.clientId, [`${NOTES}#frag`]],
      [client.clientId, [NOTES, "notes"]], [bare.clientId, [NOTES]]
    ] as const) {
      const response = await new Browser().request(authorizeWith(id, resources))
      const callback = callbackOf(response)
      expect(callback.searchParams.get("error"), resources.join(",")).toBe("invalid_target")
      expect(callback.searchParams.get("state")).toBe("state-123")
      expect(callback.searchParams.get("code")).toBeNull()
    }
  })

  it("at /token: relative, fragment or unregistered resource → invalid_target (400 JSON)", async () => {
    const client = await resourceClient()
    const grant = await codeFor(client, [NOTES])
    for (const resource of ["notes", `${NOTES}#x`, "https://elsewhere.example/api"]) {
      const refused = await redeem(client, grant, [resource])
      expect(refused.status).toBe(400)
      expect(refused.body.error).toBe("invalid_target")
    }
    expect((await redeem(client, grant)).status).toBe(200)
  })

  it("RACE: 20 concurrent /token with one code and different narrowings → exactly one 200, the rest invalid_grant", async () => {
    const client = await resourceClient()
    // No offline_access: a replay tombstones the family the winner would create, so the winner's answer would be refused too.
    const grant = await codeFor(client, [NOTES, BILLING, CALENDAR], "openid profile")
    const narrowings: ReadonlyArray<ReadonlyArray<string>> = [[NOTES], [BILLING], [CALENDAR], [NOTES, BILLING], []]
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => redeem(client, grant, narrowings[i % narrowings.length]!)))
    expect(results.filter((r) => r.status === 200), JSON.stringify(results.map((r) => [r.status, r.body.error, r.body.error_description]))).toHaveLength(1)
    expect(results.filter((r) => r.status !== 200).every((r) => r.body.error === "invalid_grant")).toBe(true)
  })
})

describe("Resource indicators — refresh, client_credentials, PAR, request objects", () => {
  it("refresh keeps the granted resources and may narrow per request; widening is invalid_target and rotates nothing", async () => {
    const client = await resourceClient()
    const first = await redeem(client, await codeFor(client, [NOTES, BILLING]), [NOTES])
    expect(audOf(first.body.access_token)).toBe(NOTES)
    const kept = await refresh(client, first.body.refresh_token!)
    expect(kept.status).toBe(200)
    // The family keeps every granted resource: narrowed at the code, all of them again at refresh.
    expect(audOf(kept.body.access_token)).toEqual([NOTES, BILLING])
    const narrowed = await refresh(client, kept.body.refresh_token!, [BILLING])
    expect(audOf(narrowed.body.access_token)).toBe(BILLING)
    const wider = await refresh(client, narrowed.body.refresh_token!, [CALENDAR])
    expect(wider.status).toBe(400)
    expect(wider.body.error).toBe("invalid_target")
    // Not rotated: the same refresh token still works (no reuse detected).
    const after = await refresh(client, narrowed.body.refresh_token!, [NOTES])
    expect(after.status).toBe(200)
    expect(audOf(after.body.access_token)).toBe(NOTES)
  })

  it("RACE: 20 concurrent refreshes of one token, half widening: those are invalid_target, the rest share one successor; the family lives", async () => {
    const client = await resourceClient()
    const first = await redeem(client, await codeFor(client, [NOTES, BILLING]))
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      refresh(client, first.body.refresh_token!, i % 2 === 0 ? [CALENDAR] : [NOTES])))
    const widening = results.filter((_, i) => i % 2 === 0)
    const narrowing = results.filter((_, i) => i % 2 === 1)
    expect(widening.every((r) => r.status === 400 && r.body.error === "invalid_target")).toBe(true)
    // Within the reuse grace window every concurrent valid refresh gets the same successor (refresh_grace.ts).
    expect(narrowing.every((r) => r.status === 200), JSON.stringify(narrowing.map((r) => r.body.error))).toBe(true)
    expect(new Set(narrowing.map((r) => r.body.refresh_token)).size).toBe(1)
    expect(narrowing.every((r) => audOf(r.body.access_token) === NOTES)).toBe(true)
    const next = await refresh(client, narrowing[0]!.body.refresh_token!)
    expect(next.status).toBe(200)
    expect(audOf(next.body.access_token)).toEqual([NOTES, BILLING])
  })

  it("client_credentials: resource → aud; two → array; unregistered or relative → invalid_target", async () => {
    const client = await resourceClient()
    const one = await tokenRequest(client, [["grant_type", "client_credentials"], ["scope", "profile"], ["resource", NOTES]])
    expect(one.status).toBe(200)
    expect(audOf(one.body.access_token)).toBe(NOTES)
    const two = await tokenRequest(client, [["grant_type", "client_credentials"], ["resource", CALENDAR], ["resource", NOTES]])
    expect(audOf(two.body.access_token)).toEqual([CALENDAR, NOTES])
    for (const resource of ["https://elsewhere.example/api", "relative/path"]) {
      const refused = await tokenRequest(client, [["grant_type", "client_credentials"], ["resource", resource]])
      expect(refused.body.error).toBe("invalid_target")
    }
  })

  it("/userinfo refuses a resource-only token (401 invalid_token + WWW-Authenticate); with the userinfo resource too it serves", async () => {
    const client = await resourceClient([NOTES, USERINFO])
    const only = await redeem(client, await codeFor(client, [NOTES]))
    const refused = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${only.body.access_token}` } })
    expect(refused.status).toBe(401)
    expect(refused.headers.get("www-authenticate")).toContain(`error="invalid_token"`)
    const both = await redeem(client, await codeFor(client, [NOTES, USERINFO]))
    expect(audOf(both.body.access_token)).toEqual([NOTES, USERINFO])
    const served = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${both.body.access_token}` } })
    expect(served.status).toBe(200)
  })

  it("introspection reports the aud; a resource server accepts the token for each of its resources and no other", async () => {
    const client = await resourceClient()
    const { body } = await redeem(client, await codeFor(client, [NOTES, BILLING]))
    const introspected = await (await new Browser().request("/introspect", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!) },
      body: new URLSearchParams({ token: body.access_token }).toString()
    })).json<Record<string, unknown>>()
    expect(introspected).toMatchObject({ active: true, aud: [NOTES, BILLING] })
    for (const audience of [NOTES, BILLING]) {
      const verified = await Effect.runPromise(resourceServer.verifyAccessToken({ issuer: ORIGIN, audience, token: body.access_token }))
      expect(verified.aud).toEqual([NOTES, BILLING])
    }
    const elsewhere = await Effect.runPromiseExit(resourceServer.verifyAccessToken({ issuer: ORIGIN, audience: CALENDAR, token: body.access_token }))
    expect(Exit.isFailure(elsewhere)).toBe(true)
  })

  it("PAR: two pushed resources reach the code; a bad one is invalid_target at /par (400 JSON), nothing stored", async () => {
    const client = await resourceClient()
    const { verifier, challenge } = await pkcePair()
    const push = (resources: ReadonlyArray<string>) => new Browser().request("/par", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!) },
      body: new URLSearchParams([
        ["response_type", "code"], ["redirect_uri", REDIRECT_URI], ["scope", "openid"], ["state", "par-state"],
        ["code_challenge", challenge], ["code_challenge_method", "S256"], ...resources.map((r) => ["resource", r])
      ]).toString()
    })
    for (const bad of [["https://elsewhere.example/api"], ["relative"], [`${NOTES}#f`]]) {
      const refused = await push(bad)
      expect(refused.status).toBe(400)
      expect((await refused.json<{ error: string }>()).error).toBe("invalid_target")
    }
    const pushed = await push([NOTES, CALENDAR])
    expect(pushed.status).toBe(201)
    const { request_uri } = await pushed.json<{ request_uri: string }>()
    const url = new URL("/authorize", ORIGIN)
    url.search = new URLSearchParams({ client_id: client.clientId, request_uri }).toString()
    const code = callbackOf(await follow(url.toString())).searchParams.get("code")!
    const { body } = await redeem(client, { code, verifier })
    expect(audOf(body.access_token)).toEqual([NOTES, CALENDAR])
  })

  it("a request object (JAR) carries resource as an array of strings", async () => {
    const key = await clientKey("ES256")
    const client = await seedKeyClient(key, { skipConsent: true, resources: [NOTES, BILLING] })
    const { verifier, challenge } = await pkcePair()
    const now = Math.floor(Date.now() / 1000)
    const request = await new SignJWT({
      response_type: "code", client_id: client.clientId, redirect_uri: REDIRECT_URI, scope: "openid", state: "jar",
      code_challenge: challenge, code_challenge_method: "S256", resource: [BILLING, NOTES]
    }).setProtectedHeader({ alg: key.alg, kid: key.publicJwk.kid! }).setIssuer(client.clientId).setAudience(ORIGIN)
      .setIssuedAt(now).setExpirationTime(now + 300).sign(key.privateKey)
    const url = new URL("/authorize", ORIGIN)
    url.search = new URLSearchParams({ client_id: client.clientId, request }).toString()
    const code = callbackOf(await follow(url.toString())).searchParams.get("code")!
    const response = await new Browser().request("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: client.clientId,
        ...assertionFields(await clientAssertion(client.clientId, key))
      }).toString()
    })
    expect(response.status).toBe(200)
    expect(audOf((await response.json<TokenBody>()).access_token)).toEqual([BILLING, NOTES])
  })
})
