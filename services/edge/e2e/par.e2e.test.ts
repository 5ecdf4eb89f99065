/**
 * Pushed Authorization Requests (RFC 9126) end to end: openid-client's
 * `buildAuthorizationUrlWithPAR` against a real `wrangler dev`.
 */
import * as oidc from "openid-client"
import { describe, expect, it } from "vitest"
import fixtures from "./fixtures.json" with { type: "json" }
import { Browser } from "./browser.ts"
import { alice, issuer, redeem, redirectUri, rpFor } from "./rp.ts"

const parClientSecret = fixtures.clients.find((c) => c.client_id === "e2e-par")?.client_secret ?? ""

/** The seeded client registered with require_pushed_authorization_requests. */
const parClient = () =>
  oidc.discovery(new URL(issuer()), "e2e-par", undefined, oidc.ClientSecretBasic(parClientSecret), { execute: [oidc.allowInsecureRequests] })

/** Pushes an authorization request with PKCE, state and nonce; returns the /authorize URL and the checks. */
const pushAuthorization = async (config: oidc.Configuration) => {
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const url = await oidc.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: redirectUri,
    scope: "openid profile email",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce
  })
  return { url, codeVerifier, state, nonce }
}

/** Loads an authorization URL once, without following redirects. */
const load = (url: URL) => fetch(url, { redirect: "manual" })

const expectInvalidRequestUri = async (response: Response) => {
  expect(response.status).toBe(400)
  expect(response.headers.get("location")).toBeNull()
  expect(await response.text()).toContain("invalid_request_uri")
}

describe("Pushed Authorization Requests — RFC 9126", () => {
  it("discovery advertises the PAR endpoint", async () => {
    const meta = (await rpFor("e2e-basic")).serverMetadata()
    expect(meta.pushed_authorization_request_endpoint).toBe(`${issuer()}/par`)
    expect(meta.require_pushed_authorization_requests).toBe(false)
  })

  it("full code flow through PAR: sign-in, ID token checks, tokens", async () => {
    for (const config of [await rpFor("e2e-basic"), await parClient()]) {
      const pushed = await pushAuthorization(config)
      expect(pushed.url.searchParams.get("request_uri")).toMatch(/^urn:ietf:params:oauth:request_uri:par\d{2}_/)
      expect([...pushed.url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri"])
      const flow = await new Browser(issuer()).authorize(pushed.url.toString(), { ...alice, decision: "approve" })
      const tokens = await redeem(config, { ...pushed, url: flow.url })
      expect(tokens.claims()!.nonce).toBe(pushed.nonce)
      expect(tokens.claims()!.aud).toBe(config.clientMetadata().client_id)
    }
  })

  it("a request_uri is single use: reusing it is refused with invalid_request_uri", async () => {
    const pushed = await pushAuthorization(await rpFor("e2e-basic"))
    expect((await load(pushed.url)).status).not.toBe(400)
    await expectInvalidRequestUri(await load(pushed.url))
  })

  it("a request_uri is bound to its client: another client_id is refused", async () => {
    const pushed = await pushAuthorization(await rpFor("e2e-basic"))
    const stolen = new URL(pushed.url)
    stolen.searchParams.set("client_id", "e2e-post")
    await expectInvalidRequestUri(await load(stolen))
    expect((await load(pushed.url)).status).not.toBe(400)
  })

  it("a client that requires PAR cannot send a plain authorization request", async () => {
    const config = await parClient()
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: "openid", state: "s", code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: "S256"
    })
    const response = await load(url)
    expect(response.status).toBe(303)
    expect(new URL(response.headers.get("location")!).searchParams.get("error")).toBe("invalid_request")
  })

  it("20 concurrent uses of one request_uri: exactly one proceeds", async () => {
    const pushed = await pushAuthorization(await rpFor("e2e-basic"))
    const responses = await Promise.all(Array.from({ length: 20 }, () => load(pushed.url)))
    expect(responses.filter((r) => r.status !== 400)).toHaveLength(1)
    const refused = responses.filter((r) => r.status === 400)
    expect(refused).toHaveLength(19)
    for (const response of refused) expect(await response.text()).toContain("invalid_request_uri")
  })
})
