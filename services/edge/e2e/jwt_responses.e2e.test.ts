/**
 * JARM and RFC 9701 end to end with openid-client against a real `wrangler dev`:
 * `useJwtResponseMode` makes it validate the `response` JWT (signature with the
 * discovered JWKS, iss, aud, exp, then state and the RFC 9207 iss inside), and
 * the client metadata `introspection_signed_response_alg` makes it ask for (and
 * validate) a JWT introspection response.
 */
import * as oidc from "openid-client"
import { describe, expect, it } from "vitest"
import fixtures from "./fixtures.json" with { type: "json" }
import { Browser } from "./browser.ts"
import { alice, issuer, redeem, redirectUri, signIn } from "./rp.ts"

const secret = fixtures.clients.find((c) => c.client_id === "e2e-basic")?.client_secret ?? ""

/** e2e-basic with JARM on and RFC 9701 introspection asked for; `contentTypes` records the introspection answers' Content-Type. */
const jwtClient = async () => {
  const config = await oidc.discovery(new URL(issuer()), "e2e-basic", { introspection_signed_response_alg: "RS256" }, oidc.ClientSecretBasic(secret), {
    execute: [oidc.allowInsecureRequests, oidc.useJwtResponseMode]
  })
  const contentTypes: Array<string | null> = []
  config[oidc.customFetch] = async (url, { body, ...options }) => {
    // A Uint8Array body is copied onto its own ArrayBuffer, the BodyInit fetch types accept.
    const response = await fetch(url, { ...options, body: body instanceof Uint8Array ? body.slice() : body })
    if (new URL(url).pathname === "/introspect") contentTypes.push(response.headers.get("content-type"))
    return response
  }
  return { config, contentTypes }
}

describe("JARM and JWT introspection — openid-client", () => {
  it("discovery advertises the jwt response modes and both signing algs", async () => {
    const { config } = await jwtClient()
    const meta = config.serverMetadata()
    expect(meta.response_modes_supported).toEqual(expect.arrayContaining(["jwt", "query.jwt", "form_post.jwt"]))
    expect(meta.authorization_signing_alg_values_supported).toEqual(["RS256"])
    expect(meta.introspection_signing_alg_values_supported).toEqual(["RS256"])
  })

  it("response_mode=jwt: openid-client validates the response JWT, redeems the code, then introspects as a JWT", async () => {
    const { config, contentTypes } = await jwtClient()
    // With useJwtResponseMode openid-client asks for response_mode=jwt itself.
    const flow = await signIn(config)
    expect([...flow.url.searchParams.keys()]).toEqual(["response"])
    const tokens = await redeem(config, flow)
    expect(tokens.claims()!.nonce).toBe(flow.nonce)
    const introspection = await oidc.tokenIntrospection(config, tokens.access_token)
    expect(introspection).toMatchObject({ active: true, client_id: "e2e-basic", sub: tokens.claims()!.sub })
    expect(contentTypes).toEqual(["application/token-introspection+jwt"])
  })

  it("response_mode=form_post.jwt: the posted `response` is accepted as the callback request", async () => {
    const { config } = await jwtClient()
    const codeVerifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const nonce = oidc.randomNonce()
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: "openid", state, nonce, code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: "S256"
    })
    // openid-client's JARM mode always asks for `jwt` (query); the form_post flavour is asked for by hand.
    url.searchParams.set("response_mode", "form_post.jwt")
    const flow = await new Browser(issuer()).authorize(url.toString(), { ...alice, decision: "approve" })
    expect(Object.keys(flow.formPost ?? {})).toEqual(["response"])
    const callback = new Request(redirectUri, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(flow.formPost) })
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true })
    expect(tokens.claims()!.aud).toBe("e2e-basic")
  })

  it("an error comes back JWT-wrapped: prompt=none without a session is login_required to openid-client", async () => {
    const { config } = await jwtClient()
    const state = oidc.randomState()
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: "openid", response_mode: "jwt", prompt: "none", state, code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: "S256" })
    const flow = await new Browser(issuer()).authorize(url.toString())
    expect([...flow.url.searchParams.keys()]).toEqual(["response"])
    const error = await oidc.authorizationCodeGrant(config, flow.url, { expectedState: state, pkceCodeVerifier: oidc.randomPKCECodeVerifier() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.AuthorizationResponseError)
    expect((error as oidc.AuthorizationResponseError).error).toBe("login_required")
  })

  it("an inactive token's introspection is a signed {active: false}", async () => {
    const { config, contentTypes } = await jwtClient()
    expect(await oidc.tokenIntrospection(config, "never-issued")).toEqual({ active: false })
    expect(contentTypes).toEqual(["application/token-introspection+jwt"])
  })
})
