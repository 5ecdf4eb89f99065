/** Relying-party helpers for the end-to-end tests: openid-client configurations for the seeded clients. */
import * as oidc from "openid-client"
import { inject } from "vitest"
import fixtures from "./fixtures.json" with { type: "json" }
import { Browser } from "./browser.ts"

export const issuer = () => inject("issuer")
export const redirectUri = "http://127.0.0.1:9999/cb"
export const alice = { email: fixtures.users[0]!.email, password: fixtures.users[0]!.password }

const secretOf = (id: string) => fixtures.clients.find((c) => c.client_id === id)?.client_secret ?? ""

/** openid-client configuration by discovery for one seeded client (HTTP allowed: 127.0.0.1 only). */
export const rpFor = (clientId: "e2e-basic" | "e2e-post" | "e2e-public" | string) => {
  const auth = clientId === "e2e-basic" ? oidc.ClientSecretBasic(secretOf(clientId))
    : clientId === "e2e-post" ? oidc.ClientSecretPost(secretOf(clientId))
    : oidc.None()
  return oidc.discovery(new URL(issuer()), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] })
}

/** Runs the authorization code flow with PKCE through login and consent; returns the callback and the checks. */
export const signIn = async (config: oidc.Configuration, extra: Record<string, string> = {}, browser = new Browser(issuer())) => {
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid profile email offline_access",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra
  })
  const result = await browser.authorize(url.toString(), { ...alice, decision: "approve" })
  return { ...result, codeVerifier, state, nonce, browser }
}

/** Redeems a callback URL with openid-client's checks (state, iss, nonce, ID token validation). */
export const redeem = (config: oidc.Configuration, flow: { url: URL; codeVerifier: string; state: string; nonce: string }) =>
  oidc.authorizationCodeGrant(config, flow.url, {
    pkceCodeVerifier: flow.codeVerifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true
  })

/** Posts a raw form to the token endpoint (for what openid-client refuses to send, e.g. replays in parallel). */
export const postToken = (body: Record<string, string>, basic?: { id: string; secret: string }) =>
  fetch(`${issuer()}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(basic ? { authorization: `Basic ${btoa(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`)}` } : {})
    },
    body: new URLSearchParams(body)
  })

export const basicCredentials = { id: "e2e-basic", secret: secretOf("e2e-basic") }
