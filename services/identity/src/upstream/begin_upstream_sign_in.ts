/**
 * Starts "Sign in with …": a fresh state, nonce and PKCE S256 verifier
 * (RFC 7636), saved for 600 s and bound to the browser, and the upstream
 * authorization URL (OIDC Core §3.1.2.1 / RFC 6749 §4.1.1).
 */
import { base64url, randomBytes, sha256Base64url, sha256Hex } from "@authrim/platform"
import { Clock, Effect } from "effect"
import { requireSignInMethod } from "../settings/system_settings.ts"
import { loadEnabledProvider } from "./identity_providers.ts"
import { endpointsOf } from "./upstream_endpoints.ts"
import { saveRoundTrip } from "./upstream_round_trip.ts"

/** Scopes asked for when the provider config names none. */
const defaultScopes = (providerType: "oidc" | "oauth2") => (providerType === "oidc" ? ["openid", "email", "profile"] : [])

export interface BeginInput {
  readonly providerId: string
  readonly loginTx: string
  readonly redirectUri: string
  readonly browserBinding: string
}

/** Saves the round trip and returns where to send the browser. */
export const beginUpstreamSignIn = Effect.fnUntraced(function*(input: BeginInput) {
  yield* requireSignInMethod("upstream")
  const provider = yield* loadEnabledProvider(input.providerId)
  const endpoints = yield* endpointsOf(provider)
  const state = base64url(randomBytes(32))
  const nonce = base64url(randomBytes(32))
  const codeVerifier = base64url(randomBytes(32))
  const challenge = yield* sha256Base64url(codeVerifier)
  const stateHash = yield* sha256Hex(state)
  yield* saveRoundTrip(stateHash, {
    providerId: provider.id,
    loginTx: input.loginTx,
    redirectUri: input.redirectUri,
    codeVerifier,
    nonceHash: yield* sha256Hex(nonce),
    browserHash: yield* sha256Hex(input.browserBinding),
    createdAt: yield* Clock.currentTimeMillis
  })
  const url = new URL(endpoints.authorizationEndpoint)
  const scopes = provider.config.scopes ?? defaultScopes(provider.providerType)
  url.searchParams.set("response_type", "code")
  url.searchParams.set("client_id", provider.config.client_id)
  url.searchParams.set("redirect_uri", input.redirectUri)
  if (scopes.length > 0) url.searchParams.set("scope", scopes.join(" "))
  url.searchParams.set("state", state)
  // A nonce means nothing to a plain OAuth 2.0 provider; sent only where an ID token will carry it back.
  if (provider.providerType === "oidc") url.searchParams.set("nonce", nonce)
  url.searchParams.set("code_challenge", challenge)
  url.searchParams.set("code_challenge_method", "S256")
  return { authorizationUrl: url.toString() }
})
