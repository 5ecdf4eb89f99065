/**
 * The authorization code → tokens request at the upstream token endpoint
 * (RFC 6749 §4.1.3 with the PKCE verifier, RFC 7636 §4.5). Client
 * authentication is `client_secret_basic` (id and secret form-encoded before
 * base64, RFC 6749 §2.3.1) unless the provider is configured for
 * `client_secret_post`.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import type { IdentityProviderRecord } from "./identity_provider_record.ts"
import type { UpstreamEndpoints } from "./upstream_endpoints.ts"
import { fetchUpstreamJson } from "./upstream_http.ts"

/** The token response fields Authrim uses. */
export interface UpstreamTokens {
  readonly idToken: string | null
  readonly accessToken: string | null
}

const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+")

export const exchangeCode = Effect.fnUntraced(function*(provider: IdentityProviderRecord, endpoints: UpstreamEndpoints, code: string, redirectUri: string, codeVerifier: string) {
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: codeVerifier })
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" }
  const secret = provider.config.client_secret ?? null
  if (provider.config.token_endpoint_auth_method === "client_secret_post" || secret === null) {
    body.set("client_id", provider.config.client_id)
    if (secret !== null) body.set("client_secret", secret)
  } else {
    headers["authorization"] = `Basic ${btoa(`${formEncode(provider.config.client_id)}:${formEncode(secret)}`)}`
  }
  const tokens = yield* fetchUpstreamJson("token endpoint", endpoints.tokenEndpoint, { method: "POST", headers, body })
  const idToken = typeof tokens["id_token"] === "string" ? tokens["id_token"] : null
  const accessToken = typeof tokens["access_token"] === "string" ? tokens["access_token"] : null
  if (provider.providerType === "oidc" && idToken === null) {
    return yield* new OAuthError({ code: "access_denied", description: "the identity provider returned no ID token" })
  }
  if (provider.providerType === "oauth2" && accessToken === null) {
    return yield* new OAuthError({ code: "access_denied", description: "the identity provider returned no access token" })
  }
  return { idToken, accessToken } satisfies UpstreamTokens
})
