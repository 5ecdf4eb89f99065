/**
 * Request objects by reference (JAR RFC 9101 §5.2; OIDC Core §6.2) end to end
 * against a real `wrangler dev`: openid-client signs the request object with
 * the client's private key (`buildAuthorizationUrlWithJAR`), the client hosts
 * it (client_keys_server.ts, a registered `request_uris` prefix) and sends
 * only `request_uri`; the provider fetches it once, and the code is redeemed
 * with openid-client's checks (state, nonce, PKCE, ID token). Refusals:
 * an unregistered URI and a wrong fragment hash are `invalid_request_uri`.
 */
import * as oidc from "openid-client"
import { importJWK, type JWK } from "jose"
import { describe, expect, inject, it } from "vitest"
import { Browser } from "./browser.ts"
import { JAR_CLIENT_ID } from "./client_keys_server.ts"
import { alice, issuer, redirectUri } from "./rp.ts"

const jarClient = async () =>
  oidc.discovery(new URL(issuer()), JAR_CLIENT_ID, undefined, oidc.PrivateKeyJwt(await importJWK(inject("pkjwtPrivateJwk") as JWK, "ES256") as CryptoKey), {
    execute: [oidc.allowInsecureRequests]
  })

/** A request object signed by openid-client (its `request` parameter), hosted under a fresh name; returns its URL. */
const hostRequestObject = async (config: oidc.Configuration, params: Record<string, string>) => {
  const privateKey = await importJWK(inject("pkjwtPrivateJwk") as JWK, "ES256") as CryptoKey
  const byValue = await oidc.buildAuthorizationUrlWithJAR(config, params, { key: privateKey, kid: "e2e-pkjwt-1" })
  const object = byValue.searchParams.get("request")!
  const uri = `${inject("requestsBase")}${crypto.randomUUID()}`
  const put = await fetch(uri, { method: "PUT", body: object })
  expect(put.status).toBe(204)
  return { uri, object }
}

const fetchesOf = async (uri: string) => (await (await fetch(`${uri}?count`)).json() as { fetches: number }).fetches

const byReference = (uri: string) =>
  `${issuer()}/authorize?${new URLSearchParams({ client_id: JAR_CLIENT_ID, request_uri: uri })}`

const checks = async () => {
  const codeVerifier = oidc.randomPKCECodeVerifier()
  return {
    codeVerifier, state: oidc.randomState(), nonce: oidc.randomNonce(),
    challenge: await oidc.calculatePKCECodeChallenge(codeVerifier)
  }
}

const sha256 = async (text: string) =>
  Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))).toString("base64url")

describe("request_uri by reference — JAR §5.2 with openid-client", () => {
  it("discovery says request_uri is supported and must be registered", async () => {
    const meta = (await jarClient()).serverMetadata()
    expect(meta.request_uri_parameter_supported).toBe(true)
    expect(meta.require_request_uri_registration).toBe(true)
  })

  it("a hosted, signed request object leads to a code that openid-client redeems; it was fetched once", async () => {
    const config = await jarClient()
    const { codeVerifier, state, nonce, challenge } = await checks()
    const { uri } = await hostRequestObject(config, {
      redirect_uri: redirectUri, scope: "openid profile", response_type: "code", state, nonce,
      code_challenge: challenge, code_challenge_method: "S256"
    })
    const flow = await new Browser(issuer()).authorize(byReference(uri), alice)
    expect(flow.url.searchParams.get("code")).toBeTruthy()
    const tokens = await oidc.authorizationCodeGrant(config, flow.url, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce })
    expect(tokens.claims()!.aud).toBe(JAR_CLIENT_ID)
    expect(tokens.scope?.split(" ").sort()).toEqual(["openid", "profile"])
    expect(await fetchesOf(uri)).toBe(1)
  })

  it("the fragment, when sent, must be the object's SHA-256: right hash accepted, wrong one invalid_request_uri", async () => {
    const config = await jarClient()
    const { state, nonce, challenge } = await checks()
    const { uri, object } = await hostRequestObject(config, {
      redirect_uri: redirectUri, scope: "openid", response_type: "code", state, nonce, code_challenge: challenge, code_challenge_method: "S256"
    })
    const right = await new Browser(issuer()).authorize(byReference(`${uri}#${await sha256(object)}`), alice)
    expect(right.url.searchParams.get("code")).toBeTruthy()
    const wrong = await new Browser(issuer()).authorize(byReference(`${uri}#${await sha256(`${object}.`)}`), alice)
    expect(wrong.url.searchParams.get("code")).toBeNull()
    expect(`${wrong.url.searchParams.get("error") ?? ""}${wrong.page ?? ""}`).toContain("invalid_request_uri")
  })

  it("a URI outside the registered request_uris is invalid_request_uri and is never fetched", async () => {
    const config = await jarClient()
    const { state, nonce, challenge } = await checks()
    const { uri } = await hostRequestObject(config, {
      redirect_uri: redirectUri, scope: "openid", response_type: "code", state, nonce, code_challenge: challenge, code_challenge_method: "S256"
    })
    const outside = uri.replace("/requests/", "/other/")
    const refused = await new Browser(issuer()).authorize(byReference(outside), alice)
    expect(refused.url.searchParams.get("code")).toBeNull()
    expect(`${refused.url.searchParams.get("error") ?? ""}${refused.page ?? ""}`).toContain("invalid_request_uri")
    expect(await fetchesOf(uri)).toBe(0)
  })
})
