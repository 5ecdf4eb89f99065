/**
 * Upstream identity providers ("Sign in with …"), implemented by the identity
 * service's `IdentityService` entrypoint. Identity owns the providers
 * (`identity_providers`), the pending round trips (STATE_STORE / NONCE_STORE
 * KV, 600 s), the code exchange, ID-token validation and the account linking;
 * the edge only redirects the browser and finishes with `completeSignIn`.
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** `oidc`: OpenID Connect by discovery + ID token; `oauth2`: endpoints + userinfo claim mapping (GitHub-style). */
export const UpstreamProviderType = Schema.Literals(["oidc", "oauth2"])
/** Type of {@link UpstreamProviderType}. */
export type UpstreamProviderType = typeof UpstreamProviderType.Type

/** Which userinfo fields hold the claims (oauth2 providers; e.g. GitHub's numeric `id` is the subject). */
export const UpstreamClaimMapping = Schema.Struct({
  sub: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String),
  emailVerified: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String)
})

/**
 * Create-or-update input for a provider (admin RPC, seed file). `clientSecret`
 * is plaintext here: Authrim must present it to the upstream, so it cannot be
 * hashed (see identity's storage-schema.md for how it is kept).
 */
export const IdentityProviderInput = Schema.Struct({
  id: Schema.String,
  providerType: UpstreamProviderType,
  name: Schema.String,
  enabled: Schema.optional(Schema.Boolean),
  /** Discovery base (`<issuer>/.well-known/openid-configuration`); required for `oidc`. */
  issuer: Schema.optional(Schema.String),
  clientId: Schema.String,
  clientSecret: Schema.optional(Schema.NullOr(Schema.String)),
  /** Default: `openid email profile` for oidc, none for oauth2. */
  scopes: Schema.optional(Schema.Array(Schema.String)),
  tokenEndpointAuthMethod: Schema.optional(Schema.Literals(["client_secret_basic", "client_secret_post"])),
  /** oauth2 only (oidc takes them from discovery). */
  authorizationEndpoint: Schema.optional(Schema.String),
  tokenEndpoint: Schema.optional(Schema.String),
  userinfoEndpoint: Schema.optional(Schema.String),
  claims: Schema.optional(UpstreamClaimMapping)
})
/** Type of {@link IdentityProviderInput}. */
export type IdentityProviderInput = typeof IdentityProviderInput.Type

/** What the login page needs to show a "Sign in with …" button; never the client secret. */
export const UpstreamProviderSummary = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  providerType: UpstreamProviderType,
  enabled: Schema.Boolean
})
/** Type of {@link UpstreamProviderSummary}. */
export type UpstreamProviderSummary = typeof UpstreamProviderSummary.Type

/** How the upstream account was matched to a local user. */
export const UpstreamResolution = Schema.Literals(["existing_link", "linked_by_verified_email", "created"])

const UpstreamFailure = Schema.Union([OAuthError, NotFound, Unavailable])

/** Method schemas of the upstream-provider part of the identity service. */
export const UpstreamContract = {
  /** Enabled providers, for the login page (isolate-cached for 30 s). */
  listUpstreamProviders: rpcMethod(
    Schema.Struct({}),
    Schema.Struct({ providers: Schema.Array(UpstreamProviderSummary) }),
    UpstreamFailure
  ),
  /** Creates or replaces a provider (admin / seed). `invalid_request` for an incomplete config. */
  upsertIdentityProvider: rpcMethod(IdentityProviderInput, UpstreamProviderSummary, UpstreamFailure),
  /**
   * Starts a round trip: stores state (STATE_STORE) and nonce (NONCE_STORE) for 600 s,
   * bound to `browserBinding` (the browser's CSRF cookie; only its hash is kept), with
   * a PKCE S256 verifier, and returns the upstream authorization URL.
   * `NotFound` for an unknown or disabled provider.
   */
  beginUpstreamSignIn: rpcMethod(
    Schema.Struct({ providerId: Schema.String, loginTx: Schema.String, redirectUri: Schema.String, browserBinding: Schema.String }),
    Schema.Struct({ authorizationUrl: Schema.String }),
    UpstreamFailure
  ),
  /**
   * Finishes a round trip from the callback's query: state is single use (deleted on
   * first read) and must come back in the browser that started it; an upstream
   * `error` is `access_denied`; the code is exchanged, the ID token validated (iss,
   * aud/azp, exp, nonce, signature against the upstream JWKS) and the account
   * resolved: existing link → that user; else a local user with the same email,
   * only when both sides have it verified; else a new user.
   */
  finishUpstreamSignIn: rpcMethod(
    Schema.Struct({
      state: Schema.NullOr(Schema.String),
      code: Schema.NullOr(Schema.String),
      error: Schema.NullOr(Schema.String),
      errorDescription: Schema.NullOr(Schema.String),
      browserBinding: Schema.NullOr(Schema.String),
      /** RFC 9207 `iss` of the callback, when the upstream sends one: must be the provider's issuer (mix-up defence). */
      iss: Schema.optional(Schema.NullOr(Schema.String))
    }),
    Schema.Struct({
      userId: Schema.String,
      loginTx: Schema.String,
      providerId: Schema.String,
      resolution: UpstreamResolution
    }),
    UpstreamFailure
  )
} as const
export const UpstreamContractVersion = contractVersion(UpstreamContract, { name: "upstream", version: 1 })

/** RPC interface of the upstream-provider methods of `IdentityService`. */
export type UpstreamRpc = RpcInterface<typeof UpstreamContract>
