/**
 * Client administration contract (issue 12 §1), served by the identity
 * service for the admin API: list, read with a version, create (the secret
 * generated and answered once), versioned update and delete, and secret
 * rotation with a grace period during which the previous secret still
 * authenticates. Every write names the acting admin (`actorId`) for the audit
 * trail (`client.created|updated|deleted|secret_rotated`) and drops the
 * client's cached copies, so the very next request sees the change.
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { ClientAuthMethod, Client, ClientJwks, FapiProfile, SubjectType } from "./identity.ts"
import { SigningAlg } from "./keys.ts"
import { AlreadyExists, VersionMismatch } from "./rbac.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

const Uri = Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(2000))
const UriList = Schema.Array(Uri).check(Schema.isMaxLength(50))

/** Grant types a client may be registered for. */
export const ClientGrantType = Schema.Literals(["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange"])

/**
 * What an admin sets on a client. Semantic rules (absolute redirect URIs without
 * fragment, jwks xor jwks_uri for private_key_jwt, …) are the identity
 * service's (client_metadata.ts), answered as `OAuthError`.
 */
export const ClientSettings = Schema.Struct({
  clientName: Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(200)),
  redirectUris: UriList,
  postLogoutRedirectUris: Schema.optional(UriList),
  grantTypes: Schema.optional(Schema.Array(ClientGrantType).check(Schema.isUnique())),
  tokenEndpointAuthMethod: Schema.optional(ClientAuthMethod),
  /** Space-separated scopes the client may request. */
  scope: Schema.optional(Schema.String.check(Schema.isMaxLength(1000))),
  idTokenSignedResponseAlg: Schema.optional(SigningAlg),
  skipConsent: Schema.optional(Schema.Boolean),
  backchannelLogoutUri: Schema.optional(Schema.NullOr(Uri)),
  backchannelLogoutSessionRequired: Schema.optional(Schema.Boolean),
  /** Front-Channel Logout 1.0 §2: https (http only for localhost), loaded in an iframe at /end_session. */
  frontchannelLogoutUri: Schema.optional(Schema.NullOr(Uri)),
  frontchannelLogoutSessionRequired: Schema.optional(Schema.Boolean),
  /** JAR §5.2 / OIDC Registration §2 `request_uris`: where /authorize may fetch this client's request objects. */
  requestUris: Schema.optional(UriList),
  /** FAPI 2.0 Security Profile switch (`fapi2_security`); null turns it off. Needs private_key_jwt. */
  fapiProfile: Schema.optional(Schema.NullOr(FapiProfile)),
  /** RFC 8693 token exchange policy: exact audiences/resources, delegation allowed; null turns token exchange off. */
  tokenExchangePolicy: Schema.optional(Schema.NullOr(Schema.Struct({
    audiences: Schema.Array(Uri).check(Schema.isMaxLength(50), Schema.isUnique()),
    delegation: Schema.Boolean
  }))),
  /** RFC 8707 resource indicators the client may name (≤ 10 absolute URIs without fragment); null or [] turns them off. */
  resources: Schema.optional(Schema.NullOr(Schema.Array(Uri).check(Schema.isMaxLength(10), Schema.isUnique()))),
  /** OIDC Core §8 `subject_type`: `pairwise` gives the client per-sector subjects; absent: unchanged / public. */
  subjectType: Schema.optional(SubjectType),
  /** OIDC Registration §2 `sector_identifier_uri` (fetched and checked by the edge at every write); null removes it. */
  sectorIdentifierUri: Schema.optional(Schema.NullOr(Uri)),
  jwks: Schema.optional(Schema.NullOr(ClientJwks)),
  jwksUri: Schema.optional(Schema.NullOr(Uri)),
  requirePushedAuthorizationRequests: Schema.optional(Schema.Boolean),
  onlineRefreshTokens: Schema.optional(Schema.Boolean),
  /** RFC 9449 §5.2 `dpop_bound_access_tokens`: the token endpoint refuses this client's requests without a DPoP proof. */
  dpopBoundAccessTokens: Schema.optional(Schema.Boolean),
  /** RFC 7591 §2 `logo_uri`, `policy_uri`, `tos_uri` (shown on hosted pages). */
  logoUri: Schema.optional(Schema.NullOr(Uri)),
  policyUri: Schema.optional(Schema.NullOr(Uri)),
  tosUri: Schema.optional(Schema.NullOr(Uri))
})
/** Type of {@link ClientSettings}. */
export type ClientSettings = typeof ClientSettings.Type

/** A new client: its settings and, optionally, its id (else one is generated). */
export const NewClient = Schema.Struct({
  clientId: Schema.optional(Schema.String.check(Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/u, {
    description: "1–128 characters: letters, digits, _ . : - (starting with a letter or digit)"
  }))),
  ...ClientSettings.fields
})
/** Type of {@link NewClient}. */
export type NewClient = typeof NewClient.Type

/** A partial change: every settings field optional; absent ones stay as they are. */
export const ClientChanges = Schema.Struct({
  clientName: Schema.optional(ClientSettings.fields.clientName),
  redirectUris: Schema.optional(UriList),
  postLogoutRedirectUris: ClientSettings.fields.postLogoutRedirectUris,
  grantTypes: ClientSettings.fields.grantTypes,
  tokenEndpointAuthMethod: ClientSettings.fields.tokenEndpointAuthMethod,
  scope: ClientSettings.fields.scope,
  idTokenSignedResponseAlg: ClientSettings.fields.idTokenSignedResponseAlg,
  skipConsent: ClientSettings.fields.skipConsent,
  backchannelLogoutUri: ClientSettings.fields.backchannelLogoutUri,
  backchannelLogoutSessionRequired: ClientSettings.fields.backchannelLogoutSessionRequired,
  frontchannelLogoutUri: ClientSettings.fields.frontchannelLogoutUri,
  frontchannelLogoutSessionRequired: ClientSettings.fields.frontchannelLogoutSessionRequired,
  requestUris: ClientSettings.fields.requestUris,
  fapiProfile: ClientSettings.fields.fapiProfile,
  tokenExchangePolicy: ClientSettings.fields.tokenExchangePolicy,
  resources: ClientSettings.fields.resources,
  subjectType: ClientSettings.fields.subjectType,
  sectorIdentifierUri: ClientSettings.fields.sectorIdentifierUri,
  jwks: ClientSettings.fields.jwks,
  jwksUri: ClientSettings.fields.jwksUri,
  requirePushedAuthorizationRequests: ClientSettings.fields.requirePushedAuthorizationRequests,
  onlineRefreshTokens: ClientSettings.fields.onlineRefreshTokens,
  dpopBoundAccessTokens: ClientSettings.fields.dpopBoundAccessTokens,
  logoUri: ClientSettings.fields.logoUri,
  policyUri: ClientSettings.fields.policyUri,
  tosUri: ClientSettings.fields.tosUri
})
/** Type of {@link ClientChanges}. */
export type ClientChanges = typeof ClientChanges.Type

/** A client as the admin sees it: never a secret or its hash. */
export const ClientRecord = Schema.Struct({
  ...Client.fields,
  logoUri: Schema.NullOr(Schema.String),
  policyUri: Schema.NullOr(Schema.String),
  tosUri: Schema.NullOr(Schema.String),
  /** True when a secret is registered (confidential client). */
  hasSecret: Schema.Boolean,
  /** Until when (epoch ms) the secret replaced by the last rotation still authenticates; null when none does. */
  previousSecretExpiresAt: Schema.NullOr(Schema.Number),
  /** Grows by one with every write (the admin API's ETag). */
  version: Schema.Number,
  createdAt: Schema.Number,
  updatedAt: Schema.Number
})
/** Type of {@link ClientRecord}. */
export type ClientRecord = typeof ClientRecord.Type

/** A write that produced a secret: answered this once, only its hash is kept. */
export const ClientWithSecret = Schema.Struct({ client: ClientRecord, clientSecret: Schema.NullOr(Schema.String) })

const ClientAdminFailure = Schema.Union([NotFound, Unavailable, OAuthError, VersionMismatch, AlreadyExists])

/** Longest grace period of a rotated secret: 30 days. */
export const MAX_SECRET_GRACE_SECONDS = 30 * 24 * 3600

/** Method schemas of the client administration contract (identity service). */
export const ClientAdminContract = {
  /** Clients ordered by id, `limit` (1–200, default 50) per page; `cursor` is the previous page's `nextCursor`. */
  listClients: rpcMethod(
    Schema.Struct({ cursor: Schema.optional(Schema.String), limit: Schema.optional(Schema.Number) }),
    Schema.Struct({ clients: Schema.Array(ClientRecord), nextCursor: Schema.NullOr(Schema.String) }),
    ClientAdminFailure
  ),
  /** One client with its version; `NotFound` for an unknown id. */
  getClientRecord: rpcMethod(Schema.Struct({ clientId: Schema.String }), ClientRecord, ClientAdminFailure),
  /** Creates a client (`AlreadyExists` for a taken id); a confidential one gets a generated secret, answered once. */
  createClient: rpcMethod(Schema.Struct({ client: NewClient, actorId: Schema.String }), ClientWithSecret, ClientAdminFailure),
  /**
   * Applies `changes` if the client is still at `expectedVersion`. The secret is kept; a client
   * becoming confidential gets a generated one (answered once), one becoming public loses it.
   */
  updateClient: rpcMethod(
    Schema.Struct({ clientId: Schema.String, expectedVersion: Schema.Number, changes: ClientChanges, actorId: Schema.String }),
    ClientWithSecret,
    ClientAdminFailure
  ),
  /** Deletes the client at `expectedVersion` (its consents go with it). */
  deleteClient: rpcMethod(
    Schema.Struct({ clientId: Schema.String, expectedVersion: Schema.Number, actorId: Schema.String }),
    Schema.Struct({}),
    ClientAdminFailure
  ),
  /**
   * A new generated secret; the current one keeps authenticating for
   * `gracePeriodSeconds` (0–{@link MAX_SECRET_GRACE_SECONDS}; 0 ends it now). Only for
   * `client_secret_basic`/`client_secret_post` clients (`OAuthError` otherwise).
   */
  rotateClientSecret: rpcMethod(
    Schema.Struct({ clientId: Schema.String, expectedVersion: Schema.Number, gracePeriodSeconds: Schema.Number, actorId: Schema.String }),
    ClientWithSecret,
    ClientAdminFailure
  )
} as const
export const ClientAdminContractVersion = contractVersion(ClientAdminContract, { name: "client_admin", version: 4 })

/** RPC interface of the client administration contract. */
export type ClientAdminRpc = RpcInterface<typeof ClientAdminContract>
