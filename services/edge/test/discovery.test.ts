import { createLocalJWKSet } from "jose"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"

describe("Discovery — OpenID Connect Discovery 1.0 §4", () => {
  it("publishes metadata whose issuer is the request origin when ISSUER is unset", async () => {
    const response = await new Browser().request("/.well-known/openid-configuration")
    expect(response.status).toBe(200)
    expect(response.headers.get("cache-control")).toBe("public, max-age=300")
    expect(response.headers.get("access-control-allow-origin")).toBe("*")
    const meta = await response.json<Record<string, unknown>>()
    expect(meta.issuer).toBe(ORIGIN)
    expect(meta.authorization_endpoint).toBe(`${ORIGIN}/authorize`)
    expect(meta.token_endpoint).toBe(`${ORIGIN}/token`)
    expect(meta.userinfo_endpoint).toBe(`${ORIGIN}/userinfo`)
    expect(meta.jwks_uri).toBe(`${ORIGIN}/jwks`)
    expect(meta.revocation_endpoint).toBe(`${ORIGIN}/revoke`)
    expect(meta.introspection_endpoint).toBe(`${ORIGIN}/introspect`)
  })

  it("advertises exactly what the provider implements", async () => {
    const meta = await (await new Browser().request("/.well-known/openid-configuration")).json<Record<string, unknown>>()
    expect(meta.response_types_supported).toEqual(["code"])
    expect(meta.response_modes_supported).toEqual(["query", "form_post", "jwt", "query.jwt", "form_post.jwt"])
    expect(meta.authorization_signing_alg_values_supported).toEqual(["RS256"])
    expect(meta.introspection_signing_alg_values_supported).toEqual(["RS256"])
    expect(meta.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]))
    expect(meta.subject_types_supported).toEqual(["public", "pairwise"])
    expect(meta.id_token_signing_alg_values_supported).toEqual(["RS256", "ES256"])
    expect(meta.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic", "client_secret_post", "none", "private_key_jwt"])
    expect(meta.token_endpoint_auth_signing_alg_values_supported).toEqual(["RS256", "PS256", "ES256", "EdDSA"])
    expect(meta.code_challenge_methods_supported).toEqual(["S256"])
    expect(meta.scopes_supported).toContain("openid")
    expect(meta.claims_supported).toEqual(expect.arrayContaining(["sub", "email", "name", "auth_time", "nonce"]))
    expect(meta.prompt_values_supported).toEqual(expect.arrayContaining(["none", "login", "consent"]))
    expect(meta.authorization_response_iss_parameter_supported).toBe(true)
    expect(meta.request_parameter_supported).toBe(true)
    expect(meta.request_object_signing_alg_values_supported).toEqual(["RS256", "PS256", "ES256", "EdDSA"])
    expect(meta.request_uri_parameter_supported).toBe(true)
    expect(meta.require_request_uri_registration).toBe(true)
    expect(meta.claims_parameter_supported).toBe(true)
    // OIDC Discovery §3: the hosted pages speak English and Japanese; claims are not localised, so no claims_locales_supported.
    expect(meta.ui_locales_supported).toEqual(["en", "ja"])
    expect(meta).not.toHaveProperty("claims_locales_supported")
  })
})

describe("JWKS — RFC 7517", () => {
  for (const path of ["/jwks", "/.well-known/jwks.json"]) {
    it(`${path} serves public keys only, cacheable for five minutes`, async () => {
      const response = await new Browser().request(path)
      expect(response.status).toBe(200)
      expect(response.headers.get("cache-control")).toBe("public, max-age=300")
      const jwks = await response.json<{ keys: Array<Record<string, unknown>> }>()
      expect(jwks.keys.length).toBeGreaterThanOrEqual(1)
      for (const key of jwks.keys) {
        expect(key.kid).toBeTruthy()
        for (const secret of ["d", "p", "q", "dp", "dq", "qi"]) expect(key[secret]).toBeUndefined()
      }
      expect(() => createLocalJWKSet(jwks as never)).not.toThrow()
    })
  }

  it("answers a CORS preflight for browser-based RPs", async () => {
    const response = await new Browser().request("/jwks", { method: "OPTIONS" })
    expect(response.status).toBe(204)
    expect(response.headers.get("access-control-allow-origin")).toBe("*")
  })
})
