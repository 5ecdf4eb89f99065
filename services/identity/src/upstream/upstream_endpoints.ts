/**
 * Where to talk to a provider: for `oidc`, its discovery document (OIDC
 * Discovery 1.0 §4: fetched from `<issuer>/.well-known/openid-configuration`,
 * and its `issuer` must equal the configured one exactly, §4.3); for `oauth2`,
 * the endpoints in its config.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import type { IdentityProviderRecord } from "./identity_provider_record.ts"
import { UpstreamBindings } from "./upstream_bindings.ts"
import { fetchUpstreamJson } from "./upstream_http.ts"
import type { UpstreamMetadata } from "./upstream_metadata_cache.ts"

/** The endpoints of one provider; `jwksUri` only for oidc. */
export interface UpstreamEndpoints {
  readonly issuer: string | null
  readonly authorizationEndpoint: string
  readonly tokenEndpoint: string
  readonly userinfoEndpoint: string | null
  readonly jwksUri: string | null
  readonly idTokenAlgs: ReadonlyArray<string>
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined)

const unusable = (why: string) => new OAuthError({ code: "temporarily_unavailable", description: `the identity provider's configuration is unusable: ${why}` })

/** The discovery document of `issuer`, from isolate memory when fresh. */
export const discover = Effect.fnUntraced(function*(issuer: string) {
  const { metadata } = yield* UpstreamBindings
  const cached = metadata.getDocument(issuer)
  if (cached !== undefined) return cached
  const doc = yield* fetchUpstreamJson("discovery document", `${issuer}/.well-known/openid-configuration`)
  const value: UpstreamMetadata = {
    issuer: str(doc["issuer"]) ?? "",
    authorization_endpoint: str(doc["authorization_endpoint"]) ?? "",
    token_endpoint: str(doc["token_endpoint"]) ?? "",
    userinfo_endpoint: str(doc["userinfo_endpoint"]),
    jwks_uri: str(doc["jwks_uri"]) ?? "",
    id_token_signing_alg_values_supported: Array.isArray(doc["id_token_signing_alg_values_supported"])
      ? doc["id_token_signing_alg_values_supported"].filter((a): a is string => typeof a === "string")
      : undefined
  }
  if (value.issuer !== issuer) return yield* unusable("discovery issuer does not match")
  if (value.authorization_endpoint === "" || value.token_endpoint === "" || value.jwks_uri === "") {
    return yield* unusable("discovery document lacks an endpoint")
  }
  metadata.setDocument(issuer, value)
  return value
})

/** Asymmetric algorithms accepted for upstream ID tokens (never `none`, never HS* with a shared secret). */
const acceptedAlgs = ["RS256", "PS256", "ES256", "ES384", "RS384", "RS512", "PS384", "PS512", "EdDSA", "Ed25519"]

/** Endpoints of `provider`. */
export const endpointsOf = Effect.fnUntraced(function*(provider: IdentityProviderRecord) {
  const c = provider.config
  if (provider.providerType === "oauth2") {
    if (c.authorization_endpoint === undefined || c.token_endpoint === undefined) return yield* unusable("endpoints missing")
    return {
      issuer: null,
      authorizationEndpoint: c.authorization_endpoint,
      tokenEndpoint: c.token_endpoint,
      userinfoEndpoint: c.userinfo_endpoint ?? null,
      jwksUri: null,
      idTokenAlgs: []
    } satisfies UpstreamEndpoints
  }
  if (c.issuer === undefined) return yield* unusable("issuer missing")
  const doc = yield* discover(c.issuer)
  const advertised = doc.id_token_signing_alg_values_supported ?? ["RS256"]
  return {
    issuer: doc.issuer,
    authorizationEndpoint: doc.authorization_endpoint,
    tokenEndpoint: doc.token_endpoint,
    userinfoEndpoint: doc.userinfo_endpoint ?? null,
    jwksUri: doc.jwks_uri,
    idTokenAlgs: advertised.filter((a) => acceptedAlgs.includes(a))
  } satisfies UpstreamEndpoints
})
