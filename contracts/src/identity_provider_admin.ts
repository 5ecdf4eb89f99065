/**
 * Administration of upstream identity providers (issue 12 §1), served by
 * identity. The client secret is WRITE-ONLY: it is accepted on create/update
 * and never answered (a view says only `hasClientSecret`). Records are
 * versioned (`version`, the admin API's ETag; updates and deletion at the
 * version the admin read). URLs are checked by identity: absolute https
 * (http only for localhost / loopback), no credentials, query or fragment.
 *
 * Refusals: `UserAdminInvalidInput` naming the field (400), `NotFound` (404),
 * `VersionMismatch` (412), `AlreadyExists` (409).
 */
import { Schema } from "effect"
import { NotFound, Unavailable } from "./errors.ts"
import { AlreadyExists, VersionMismatch } from "./rbac.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"
import { UpstreamClaimMapping, UpstreamProviderType } from "./upstream.ts"
import { UserAdminInvalidInput } from "./user_admin.ts"

/** How Authrim authenticates at the upstream's token endpoint. */
export const UpstreamTokenAuthMethod = Schema.Literals(["client_secret_basic", "client_secret_post"])

/** A provider's id (in URLs and user links): 1–64 of letters, digits, `_` and `-`. */
export const IdentityProviderId = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9_-]{1,64}$/u, {
  description: "1–64 characters: letters, digits, _ -"
}))

/** A provider as the admin API shows it — never its client secret. */
export const IdentityProviderView = Schema.Struct({
  id: Schema.String,
  providerType: UpstreamProviderType,
  name: Schema.String,
  enabled: Schema.Boolean,
  issuer: Schema.NullOr(Schema.String),
  clientId: Schema.String,
  /** Whether a client secret is stored (the secret itself is write-only). */
  hasClientSecret: Schema.Boolean,
  scopes: Schema.NullOr(Schema.Array(Schema.String)),
  tokenEndpointAuthMethod: Schema.NullOr(UpstreamTokenAuthMethod),
  authorizationEndpoint: Schema.NullOr(Schema.String),
  tokenEndpoint: Schema.NullOr(Schema.String),
  userinfoEndpoint: Schema.NullOr(Schema.String),
  claims: Schema.NullOr(UpstreamClaimMapping),
  version: Schema.Number,
  createdAt: Schema.Number,
  updatedAt: Schema.Number
}).annotate({ identifier: "IdentityProvider" })
/** Type of {@link IdentityProviderView}. */
export type IdentityProviderView = typeof IdentityProviderView.Type

/** A new provider. `oidc` needs `issuer` (discovery); `oauth2` needs the three endpoints. */
export const NewIdentityProvider = Schema.Struct({
  id: IdentityProviderId,
  providerType: UpstreamProviderType,
  name: Schema.String,
  enabled: Schema.optional(Schema.Boolean),
  issuer: Schema.optional(Schema.String),
  clientId: Schema.String,
  /** Write-only. Stored as identity's storage-schema.md says; never answered. */
  clientSecret: Schema.optional(Schema.String),
  scopes: Schema.optional(Schema.Array(Schema.String)),
  tokenEndpointAuthMethod: Schema.optional(UpstreamTokenAuthMethod),
  authorizationEndpoint: Schema.optional(Schema.String),
  tokenEndpoint: Schema.optional(Schema.String),
  userinfoEndpoint: Schema.optional(Schema.String),
  claims: Schema.optional(UpstreamClaimMapping)
}).annotate({ identifier: "NewIdentityProvider" })
/** Type of {@link NewIdentityProvider}. */
export type NewIdentityProvider = typeof NewIdentityProvider.Type

/** A partial change (absent members stay; `null` clears an optional one; `clientSecret: null` removes the secret). The type and id are fixed. */
export const IdentityProviderChanges = Schema.Struct({
  name: Schema.optional(Schema.String),
  enabled: Schema.optional(Schema.Boolean),
  issuer: Schema.optional(Schema.NullOr(Schema.String)),
  clientId: Schema.optional(Schema.String),
  clientSecret: Schema.optional(Schema.NullOr(Schema.String)),
  scopes: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
  tokenEndpointAuthMethod: Schema.optional(Schema.NullOr(UpstreamTokenAuthMethod)),
  authorizationEndpoint: Schema.optional(Schema.NullOr(Schema.String)),
  tokenEndpoint: Schema.optional(Schema.NullOr(Schema.String)),
  userinfoEndpoint: Schema.optional(Schema.NullOr(Schema.String)),
  claims: Schema.optional(Schema.NullOr(UpstreamClaimMapping))
}).annotate({ identifier: "IdentityProviderChanges" })
/** Type of {@link IdentityProviderChanges}. */
export type IdentityProviderChanges = typeof IdentityProviderChanges.Type

const Failure = Schema.Union([UserAdminInvalidInput, NotFound, Unavailable, VersionMismatch, AlreadyExists])
const Actor = { actorId: Schema.String }
const Id = { providerId: Schema.String }

/** Method schemas of identity-provider administration (on `IdentityService`). Every write is audited as `admin.action`. */
export const IdentityProviderAdminContract = {
  /** Every provider (enabled or not), by name. */
  listIdentityProviders: rpcMethod(Schema.Struct({}), Schema.Struct({ providers: Schema.Array(IdentityProviderView) }), Failure),
  /** One provider; `NotFound` for an unknown id. */
  getIdentityProvider: rpcMethod(Schema.Struct(Id), IdentityProviderView, Failure),
  /** Creates a provider (version 1); `AlreadyExists` when the id is taken. Audited (identity_provider.created). */
  createIdentityProvider: rpcMethod(Schema.Struct({ provider: NewIdentityProvider, ...Actor }), IdentityProviderView, Failure),
  /** Changes a provider at `expectedVersion`. Audited (identity_provider.updated; `secret_changed`, never the secret). */
  updateIdentityProvider: rpcMethod(
    Schema.Struct({ ...Id, expectedVersion: Schema.Number, changes: IdentityProviderChanges, ...Actor }),
    IdentityProviderView,
    Failure
  ),
  /** Enables or disables a provider (idempotent; a change bumps the version). Audited when it changed something. */
  setIdentityProviderEnabled: rpcMethod(Schema.Struct({ ...Id, enabled: Schema.Boolean, ...Actor }), IdentityProviderView, Failure),
  /** Deletes a provider at `expectedVersion`; its user links (`user_identities`) go with it (FK cascade). Audited. */
  deleteIdentityProvider: rpcMethod(
    Schema.Struct({ ...Id, expectedVersion: Schema.Number, ...Actor }),
    Schema.Struct({ linksRemoved: Schema.Number }),
    Failure
  )
} as const
export const IdentityProviderAdminContractVersion = contractVersion(IdentityProviderAdminContract, { name: "identity_provider_admin", version: 1 })

/** RPC interface of {@link IdentityProviderAdminContract}. */
export type IdentityProviderAdminRpc = RpcInterface<typeof IdentityProviderAdminContract>
