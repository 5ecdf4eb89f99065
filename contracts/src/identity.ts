/**
 * Identity service contract (`IdentityService` entrypoint of `services/identity`).
 * Users, password credentials, OAuth clients, consents, scope → claim mapping
 * and the ChallengeStore (pending logins and consents, 15 minutes, single use).
 */
import { Schema } from "effect"
import { InvalidCredentials, NotFound, OAuthError, Unavailable } from "./errors.ts"
import { SigningAlg } from "./keys.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** Client authentication methods at the token endpoint. */
export const ClientAuthMethod = Schema.Literals(["client_secret_basic", "client_secret_post", "none", "private_key_jwt"])
/** Type of {@link ClientAuthMethod}. */
export type ClientAuthMethod = typeof ClientAuthMethod.Type

/** A per-client security profile (migration 0023): `fapi2_security` = FAPI 2.0 Security Profile. */
export const FapiProfile = Schema.Literals(["fapi2_security"])
/** Type of {@link FapiProfile}. */
export type FapiProfile = typeof FapiProfile.Type

/**
 * RFC 8693 token exchange policy of a client (migration 0026): the exact `audience` / `resource` values it may
 * exchange a subject token into, and whether delegation (an `actor_token`, `act` in the issued token) is allowed.
 * Impersonation is never offered, so `delegation: false` allows no exchange at all.
 */
export const TokenExchangePolicy = Schema.Struct({
  audiences: Schema.Array(Schema.String),
  delegation: Schema.Boolean
})
/** Type of {@link TokenExchangePolicy}. */
export type TokenExchangePolicy = typeof TokenExchangePolicy.Type

/** OIDC Core §8 subject identifier types (migration 0024); `public` is the default. */
export const SubjectType = Schema.Literals(["public", "pairwise"])
/** Type of {@link SubjectType}. */
export type SubjectType = typeof SubjectType.Type

/** An RFC 7517 JWK Set of public keys (members checked when keys are imported, not here). */
export const ClientJwks = Schema.Struct({ keys: Schema.Array(Schema.Record(Schema.String, Schema.Unknown)) })
/** Type of {@link ClientJwks}. */
export type ClientJwks = typeof ClientJwks.Type

/** Client metadata as the edge sees it: never the secret or its hash. */
export const Client = Schema.Struct({
  clientId: Schema.String,
  clientName: Schema.String,
  redirectUris: Schema.Array(Schema.String),
  postLogoutRedirectUris: Schema.Array(Schema.String),
  grantTypes: Schema.Array(Schema.String),
  responseTypes: Schema.Array(Schema.String),
  tokenEndpointAuthMethod: ClientAuthMethod,
  /** True when `tokenEndpointAuthMethod` is `none`: PKCE S256 is then mandatory. */
  isPublic: Schema.Boolean,
  /** Space-separated scopes the client may request. */
  scope: Schema.String,
  idTokenSignedResponseAlg: SigningAlg,
  /** First-party clients skip the consent screen. */
  skipConsent: Schema.Boolean,
  /** Back-Channel Logout 1.0 §2.2 `backchannel_logout_uri`; absent/null: the client is not told about logouts. */
  backchannelLogoutUri: Schema.optional(Schema.NullOr(Schema.String)),
  /** Back-Channel Logout 1.0 §2.2 `backchannel_logout_session_required` (logout tokens always carry `sid` here). */
  backchannelLogoutSessionRequired: Schema.optional(Schema.Boolean),
  /** Front-Channel Logout 1.0 §2 `frontchannel_logout_uri` (migration 0021): loaded in an iframe at /end_session. Absent/null: none. */
  frontchannelLogoutUri: Schema.optional(Schema.NullOr(Schema.String)),
  /** Front-Channel Logout 1.0 §2 `frontchannel_logout_session_required` (`iss` and `sid` are always sent here). */
  frontchannelLogoutSessionRequired: Schema.optional(Schema.Boolean),
  /** OIDC Registration §2 `request_uris` (migration 0022): where /authorize may fetch this client's request objects. Absent: none. */
  requestUris: Schema.optional(Schema.Array(Schema.String)),
  /** FAPI 2.0 Security Profile (migration 0023): PAR, PKCE S256, private_key_jwt and DPoP required. Absent: none. */
  fapiProfile: Schema.optional(FapiProfile),
  /** RFC 8693 token exchange policy (migration 0026). Absent: the client may not exchange tokens. */
  tokenExchangePolicy: Schema.optional(TokenExchangePolicy),
  /**
   * RFC 8707 resource indicators (migration 0025): the absolute URIs (no fragment) the client may name as
   * `resource` at /authorize, PAR and /token; the access token's `aud` is then the resource. Absent: none may be named.
   */
  resources: Schema.optional(Schema.Array(Schema.String)),
  /** OIDC Registration §2 `subject_type` (migration 0024). Absent: public (`sub` is the user id). */
  subjectType: Schema.optional(SubjectType),
  /** OIDC Registration §2 `sector_identifier_uri` (migration 0024): its host is the pairwise sector. Absent/null: none. */
  sectorIdentifierUri: Schema.optional(Schema.NullOr(Schema.String)),
  /** RFC 7591 `jwks` (public keys of a `private_key_jwt` client); absent/null: none registered by value. */
  jwks: Schema.optional(Schema.NullOr(ClientJwks)),
  /** RFC 7591 `jwks_uri`; absent/null: none. Fetched by the identity service with a short cache. */
  jwksUri: Schema.optional(Schema.NullOr(Schema.String)),
  /** RFC 9126 §6 `require_pushed_authorization_requests`: /authorize only through PAR. Absent: false. */
  requirePushedAuthorizationRequests: Schema.optional(Schema.Boolean),
  /**
   * `online_refresh_tokens` (issue 9 §2): true → without `offline_access` the client still gets a
   * refresh token, bound to the session and ending with it. Absent/false: only with `offline_access`.
   */
  onlineRefreshTokens: Schema.optional(Schema.Boolean),
  /** RFC 9449 §5.2 `dpop_bound_access_tokens` (migration 0012, set through the admin API): /token requires a DPoP proof. Absent: false. */
  dpopBoundAccessTokens: Schema.optional(Schema.Boolean),
  /** RFC 7591 §2 `logo_uri`, `policy_uri`, `tos_uri` (migration 0012; set by the admin API or dynamic registration): shown on the login and consent pages (https only). Absent: none. */
  logoUri: Schema.optional(Schema.NullOr(Schema.String)),
  policyUri: Schema.optional(Schema.NullOr(Schema.String)),
  tosUri: Schema.optional(Schema.NullOr(Schema.String))
})
/** Type of {@link Client}. */
export type Client = typeof Client.Type

/** Create-or-update input for a client (seed file, admin). `clientSecret` is plaintext here and hashed at rest. */
export const ClientInput = Schema.Struct({
  clientId: Schema.String,
  clientName: Schema.optional(Schema.String),
  clientSecret: Schema.optional(Schema.NullOr(Schema.String)),
  redirectUris: Schema.Array(Schema.String),
  postLogoutRedirectUris: Schema.optional(Schema.Array(Schema.String)),
  grantTypes: Schema.optional(Schema.Array(Schema.String)),
  responseTypes: Schema.optional(Schema.Array(Schema.String)),
  tokenEndpointAuthMethod: Schema.optional(ClientAuthMethod),
  scope: Schema.optional(Schema.String),
  idTokenSignedResponseAlg: Schema.optional(SigningAlg),
  skipConsent: Schema.optional(Schema.Boolean),
  /** Absolute http(s) URL without fragment (Back-Channel Logout 1.0 §2.2); null/absent: none. */
  backchannelLogoutUri: Schema.optional(Schema.NullOr(Schema.String)),
  backchannelLogoutSessionRequired: Schema.optional(Schema.Boolean),
  /** https URL without fragment (http only for localhost / 127.0.0.1): Front-Channel Logout 1.0 §2; null/absent: none. */
  frontchannelLogoutUri: Schema.optional(Schema.NullOr(Schema.String)),
  frontchannelLogoutSessionRequired: Schema.optional(Schema.Boolean),
  /** https URLs without userinfo (http only on a loopback host) of request objects by reference (JAR §5.2); absent: none. */
  requestUris: Schema.optional(Schema.Array(Schema.String)),
  /** `fapi2_security`: the client must use private_key_jwt; the edge enforces the rest. null/absent: no profile. */
  fapiProfile: Schema.optional(Schema.NullOr(FapiProfile)),
  /** RFC 8693 token exchange policy (confidential clients only); null/absent: no token exchange. */
  tokenExchangePolicy: Schema.optional(Schema.NullOr(TokenExchangePolicy)),
  /** RFC 8707 resources the client may name (≤ 10 absolute URIs, no fragment); null/absent/empty: none. */
  resources: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
  /** `pairwise`: per-sector `sub` (OIDC Core §8.1); absent: public. A pairwise client needs one redirect host or a sector_identifier_uri. */
  subjectType: Schema.optional(SubjectType),
  /** https URL of the sector document (JSON array of the client's redirect_uris; the edge fetches and checks it at each write); null/absent: none. */
  sectorIdentifierUri: Schema.optional(Schema.NullOr(Schema.String)),
  /** Public keys by value (`private_key_jwt`); exactly one of jwks / jwksUri for such a client. */
  jwks: Schema.optional(Schema.NullOr(ClientJwks)),
  /** https URL of the client's JWK Set (http only for localhost / 127.0.0.1, for local development). */
  jwksUri: Schema.optional(Schema.NullOr(Schema.String)),
  /** RFC 9126 §6: accept authorization requests from this client only through PAR (default false). */
  requirePushedAuthorizationRequests: Schema.optional(Schema.Boolean),
  /** Session-bound refresh tokens without `offline_access` (default false: offline_access only). */
  onlineRefreshTokens: Schema.optional(Schema.Boolean)
})
/** Type of {@link ClientInput}. */
export type ClientInput = typeof ClientInput.Type

/** Shortest client secret a caller may supply (characters): SHA-256 at rest is safe only for high-entropy secrets. */
export const MIN_CLIENT_SECRET_LENGTH = 32

/**
 * Answer of `upsertClient`: the stored client and, when the server generated
 * the secret (a confidential client registered without one), that secret in
 * plaintext — returned this once, only its hash is kept. Callers that decode
 * with the older `Client` schema simply ignore the extra field.
 */
export const UpsertedClient = Schema.Struct({
  ...Client.fields,
  /** 32 random bytes, base64url (43 characters); absent when the caller supplied the secret or the client has none. */
  generatedClientSecret: Schema.optional(Schema.String)
})
/** Type of {@link UpsertedClient}. */
export type UpsertedClient = typeof UpsertedClient.Type

/** A user profile (no credential material). */
export const User = Schema.Struct({
  id: Schema.String,
  email: Schema.String,
  emailVerified: Schema.Boolean,
  name: Schema.NullOr(Schema.String),
  picture: Schema.NullOr(Schema.String),
  createdAt: Schema.Number,
  updatedAt: Schema.Number
})
/** Type of {@link User}. */
export type User = typeof User.Type

/**
 * A password sign-in's answer: the user, and whether a confirmed TOTP second
 * factor must follow — read in the same D1 query as the user, so the sign-in
 * does not ask again. Optional: an older identity service leaves it out and
 * the edge then asks `getMfaStatus`.
 */
export const PasswordSignIn = Schema.Struct({ ...User.fields, totpEnabled: Schema.optional(Schema.Boolean) })
/** Type of {@link PasswordSignIn}. */
export type PasswordSignIn = typeof PasswordSignIn.Type

/** Challenge kinds the ChallengeStore knows (DESIGN §2). */
export const ChallengeType = Schema.Literals([
  "passkey_registration",
  "passkey_authentication",
  "magic_link",
  "session_token",
  "reauth",
  "login",
  "consent"
])
/** Type of {@link ChallengeType}. */
export type ChallengeType = typeof ChallengeType.Type

/** A stored challenge. `metadata` is the caller's JSON (e.g. the pending authorization request). */
export const Challenge = Schema.Struct({
  id: Schema.String,
  type: ChallengeType,
  userId: Schema.NullOr(Schema.String),
  metadata: Schema.Record(Schema.String, Schema.Unknown),
  createdAt: Schema.Number,
  expiresAt: Schema.Number
})
/** Type of {@link Challenge}. */
export type Challenge = typeof Challenge.Type

const IdentityFailure = Schema.Union([NotFound, Unavailable, OAuthError])

/** Method schemas of the identity service. */
export const IdentityContract = {
  /** Client metadata (read through the CLIENTS KV cache); `NotFound` for unknown ids. */
  getClient: rpcMethod(Schema.Struct({ clientId: Schema.String }), Client, IdentityFailure),
  /**
   * Token-endpoint client authentication: the method must be the client's registered
   * one and the secret must match (constant time). Any mismatch is `invalid_client`.
   */
  authenticateClient: rpcMethod(
    Schema.Struct({ clientId: Schema.String, method: ClientAuthMethod, clientSecret: Schema.NullOr(Schema.String) }),
    Client,
    IdentityFailure
  ),
  /**
   * Creates or replaces a client (invalidates its cache entry). A confidential client
   * (`client_secret_basic`/`client_secret_post`) without a secret gets a server-generated one,
   * answered once in `generatedClientSecret`; a supplied secret shorter than
   * {@link MIN_CLIENT_SECRET_LENGTH} is `invalid_client_metadata`.
   */
  upsertClient: rpcMethod(ClientInput, UpsertedClient, IdentityFailure),
  /** Creates or updates a user by email; a non-null password is (re)hashed. */
  upsertUser: rpcMethod(
    Schema.Struct({
      email: Schema.String,
      password: Schema.NullOr(Schema.String),
      name: Schema.NullOr(Schema.String),
      emailVerified: Schema.Boolean
    }),
    User,
    IdentityFailure
  ),
  /**
   * Verifies email + password; `InvalidCredentials` for any mismatch (same timing for unknown emails).
   * `access_denied` (OAuthError) when the settings turn password sign-in off, or require a second
   * factor (`mfaRequired`) and the account has none.
   */
  authenticatePassword: rpcMethod(
    Schema.Struct({ email: Schema.String, password: Schema.String }),
    PasswordSignIn,
    // OAuthError (issue 12, additive): `access_denied` when password sign-in is turned off or a second factor is required and missing.
    Schema.Union([InvalidCredentials, Unavailable, OAuthError])
  ),
  /** A user by id. */
  getUser: rpcMethod(Schema.Struct({ userId: Schema.String }), User, IdentityFailure),
  /** OIDC claims of a user for the granted scopes, from `scope_mappings` (always includes `sub`). */
  getUserClaims: rpcMethod(
    Schema.Struct({ userId: Schema.String, scopes: Schema.Array(Schema.String) }),
    Schema.Record(Schema.String, Schema.Unknown),
    IdentityFailure
  ),
  /** Scopes the user has already granted the client (empty when none). */
  getConsent: rpcMethod(
    Schema.Struct({ userId: Schema.String, clientId: Schema.String }),
    Schema.Struct({ scopes: Schema.Array(Schema.String) }),
    IdentityFailure
  ),
  /** Records consent (merged with earlier grants). */
  grantConsent: rpcMethod(
    Schema.Struct({ userId: Schema.String, clientId: Schema.String, scopes: Schema.Array(Schema.String) }),
    Schema.Struct({}),
    IdentityFailure
  ),
  /** Stores a challenge (15 min unless `ttlSeconds` is shorter); its id names its shard. */
  createChallenge: rpcMethod(
    Schema.Struct({
      type: ChallengeType,
      userId: Schema.NullOr(Schema.String),
      metadata: Schema.Record(Schema.String, Schema.Unknown),
      ttlSeconds: Schema.optional(Schema.Number)
    }),
    Challenge,
    IdentityFailure
  ),
  /** Reads a live challenge of `type` without consuming it; `NotFound` if missing, consumed, expired or of another type. */
  peekChallenge: rpcMethod(Schema.Struct({ id: Schema.String, type: ChallengeType }), Challenge, IdentityFailure),
  /** Atomically checks type and expiry and consumes; exactly one concurrent caller succeeds. */
  consumeChallenge: rpcMethod(Schema.Struct({ id: Schema.String, type: ChallengeType }), Challenge, IdentityFailure),
  /**
   * The single-use rule of a login/consent transaction the edge keeps sealed
   * in the browser's form (so nothing is stored while the user is on a page):
   * marks transaction `id` (the edge's random id, ≥ 32 characters; its shard is
   * a hash of it) used until `expiresAt` (capped at 15 minutes from now).
   * Exactly one concurrent caller succeeds; a used, expired or malformed id is
   * `NotFound`. With `grantConsent` the consent is recorded in the same call
   * once the transaction is taken (the consent page's approval).
   */
  finishTransaction: rpcMethod(
    Schema.Struct({
      id: Schema.String,
      expiresAt: Schema.Number,
      grantConsent: Schema.optional(Schema.Struct({ userId: Schema.String, clientId: Schema.String, scopes: Schema.Array(Schema.String) }))
    }),
    Schema.Struct({}),
    IdentityFailure
  )
} as const
export const IdentityContractVersion = contractVersion(IdentityContract, { name: "identity", version: 4 })

/** RPC interface of `IdentityService`. */
export type IdentityRpc = RpcInterface<typeof IdentityContract>
