/**
 * Dynamic client registration (RFC 7591) and client configuration (RFC 7592),
 * with initial access tokens — implemented by `IdentityService`.
 *
 * The edge hands over the RFC 7591 JSON as it came (snake_case, unknown
 * members included): the identity service owns every metadata rule, so
 * registration is validated exactly once, where clients are stored. Answers
 * carry the RFC 7591 §3.2.1 "client information response" members in
 * `metadata` (snake_case, as they go on the wire); the edge adds
 * `registration_client_uri`, which depends on the issuer it serves.
 *
 * Secrets leave the service once: `clientSecret` when one is issued (on
 * registration, or an update that makes a public client confidential) and
 * `registrationAccessToken` on registration and on every update (it rotates).
 * Only SHA-256 hashes are stored.
 *
 * Initial access tokens (KV `INITIAL_ACCESS_TOKENS`, hash → policy) are
 * managed by the admin methods below; `adminUserId` is the acting admin
 * (audited as `admin.action`), null for the operator's tooling (audited as
 * the system).
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** Longest life of an initial access token (DESIGN §2 KV table: 7 days). */
export const INITIAL_ACCESS_TOKEN_MAX_TTL_SECONDS = 7 * 24 * 3600
/** Shortest life: KV's minimum expiration is 60 s. */
export const INITIAL_ACCESS_TOKEN_MIN_TTL_SECONDS = 60
/** Life when the creator names none: one day. */
export const INITIAL_ACCESS_TOKEN_DEFAULT_TTL_SECONDS = 24 * 3600

/**
 * What a client registered with a token may ask for. Absent members do not
 * restrict: an empty policy lets the token register any valid client.
 */
export const RegistrationPolicy = Schema.Struct({
  /** Space-separated scopes the client may register (its `scope` must be a subset; default: these). */
  scope: Schema.optional(Schema.String),
  /** Grant types the client may register (its `grant_types` must be a subset). */
  grantTypes: Schema.optional(Schema.Array(Schema.String)),
  /** Token endpoint auth methods the client may register. */
  tokenEndpointAuthMethods: Schema.optional(Schema.Array(Schema.String))
})
/** Type of {@link RegistrationPolicy}. */
export type RegistrationPolicy = typeof RegistrationPolicy.Type

/** An initial access token as an admin sees it: never the token itself. */
export const InitialAccessTokenInfo = Schema.Struct({
  /** Hex SHA-256 of the token: its KV key and its id in the admin API (the hash of a 256-bit secret reveals nothing). */
  id: Schema.String,
  description: Schema.String,
  createdAt: Schema.Number,
  expiresAt: Schema.Number,
  singleUse: Schema.Boolean,
  policy: RegistrationPolicy,
  /** The admin who made it; null for the operator's tooling (seed, script). */
  createdBy: Schema.NullOr(Schema.String)
})
/** Type of {@link InitialAccessTokenInfo}. */
export type InitialAccessTokenInfo = typeof InitialAccessTokenInfo.Type

/** A registered client as the registration endpoints answer it. */
export const RegisteredClient = Schema.Struct({
  clientId: Schema.String,
  /** Issued this call only (registration of a confidential client, or an update that needs a first secret). */
  clientSecret: Schema.optional(Schema.String),
  /** The new registration access token: on registration and on every update (the previous one stops working). */
  registrationAccessToken: Schema.optional(Schema.String),
  /**
   * RFC 7591 §3.2.1 members (snake_case): the registered metadata plus `client_id`,
   * `client_id_issued_at` and, for a confidential client, `client_secret_expires_at` (0: never).
   */
  metadata: Schema.Record(Schema.String, Schema.Unknown)
})
/** Type of {@link RegisteredClient}. */
export type RegisteredClient = typeof RegisteredClient.Type

const RegistrationFailure = Schema.Union([NotFound, Unavailable, OAuthError])

/** Configuration calls (RFC 7592): the client id of the URI and the bearer token presented. */
const ConfigurationAccess = Schema.Struct({ clientId: Schema.String, registrationAccessToken: Schema.String })

/** Method schemas of dynamic client registration. */
export const ClientRegistrationContract = {
  /**
   * RFC 7591 §3.1 registration. `initialAccessToken` null = open registration (the edge decides whether
   * that is allowed). An unknown, expired, revoked or used token is `OAuthError(invalid_token)`; bad
   * metadata, or metadata the token's policy does not allow, is `invalid_client_metadata` /
   * `invalid_redirect_uri` (checked before a single-use token is spent). A single-use token registers
   * exactly one client, however many registrations race for it.
   */
  registerClient: rpcMethod(
    Schema.Struct({ metadata: Schema.Record(Schema.String, Schema.Unknown), initialAccessToken: Schema.NullOr(Schema.String) }),
    RegisteredClient,
    RegistrationFailure
  ),
  /** RFC 7592 §2.1 read. A wrong token, or a client that was not dynamically registered, is `invalid_token`. */
  readRegisteredClient: rpcMethod(ConfigurationAccess, RegisteredClient, RegistrationFailure),
  /**
   * RFC 7592 §2.2 update: `metadata` replaces the registered metadata (omitted fields take their defaults);
   * its `client_id` must be the client's and a `client_secret`, if sent, the current one. The secret is kept
   * (a first one is issued when the update makes the client confidential); the registration access token
   * rotates — of concurrent updates with one token exactly one succeeds.
   */
  updateRegisteredClient: rpcMethod(
    Schema.Struct({ ...ConfigurationAccess.fields, metadata: Schema.Record(Schema.String, Schema.Unknown) }),
    RegisteredClient,
    RegistrationFailure
  ),
  /**
   * RFC 7592 §2.3 delete: the client, its consents and its registration are gone at once (its
   * refresh tokens stop working with it: /token no longer authenticates the client).
   */
  deregisterClient: rpcMethod(ConfigurationAccess, Schema.Struct({}), RegistrationFailure),
  /** Admin: a new initial access token — the token in plaintext, answered this once, and its info. */
  createInitialAccessToken: rpcMethod(
    Schema.Struct({
      adminUserId: Schema.NullOr(Schema.String),
      description: Schema.optional(Schema.String),
      /** Between 60 s and 7 days; default one day. */
      expiresInSeconds: Schema.optional(Schema.Number),
      singleUse: Schema.optional(Schema.Boolean),
      policy: Schema.optional(RegistrationPolicy)
    }),
    Schema.Struct({ token: Schema.String, info: InitialAccessTokenInfo }),
    RegistrationFailure
  ),
  /** Admin: the live (unexpired, unrevoked, unused) tokens, newest first. KV listing: a token made seconds ago may be missing. */
  listInitialAccessTokens: rpcMethod(
    Schema.Struct({ adminUserId: Schema.NullOr(Schema.String) }),
    Schema.Struct({ tokens: Schema.Array(InitialAccessTokenInfo) }),
    RegistrationFailure
  ),
  /** Admin: revokes a token by id, at once (D1 mark) and from the KV listing; `NotFound` for an unknown id. */
  revokeInitialAccessToken: rpcMethod(
    Schema.Struct({ adminUserId: Schema.NullOr(Schema.String), id: Schema.String }),
    Schema.Struct({}),
    RegistrationFailure
  )
} as const
export const ClientRegistrationContractVersion = contractVersion(ClientRegistrationContract, { name: "client_registration", version: 1 })

/** RPC interface of dynamic client registration. */
export type ClientRegistrationRpc = RpcInterface<typeof ClientRegistrationContract>
