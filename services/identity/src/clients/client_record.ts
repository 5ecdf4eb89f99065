/**
 * An OAuth client as stored in D1 `oauth_clients` and as cached in KV: the
 * contract's `Client` plus the secret hash (needed to authenticate, never
 * returned over RPC).
 */
import { Client, ClientJwks, TokenExchangePolicy } from "@authrim/contracts"
import { Schema } from "effect"

/** The cached value of one client id: a client, or a remembered "no such client". */
export const CachedClient = Schema.Union([
  Schema.Struct({
    found: Schema.Literal(true),
    client: Client,
    secretHash: Schema.NullOr(Schema.String),
    /** The secret replaced by the last rotation (migration 0012): it authenticates until `expiresAt` (epoch ms). */
    previousSecret: Schema.optional(Schema.Struct({ hash: Schema.String, expiresAt: Schema.Number }))
  }),
  Schema.Struct({ found: Schema.Literal(false) })
])
export type CachedClient = typeof CachedClient.Type

/** The JSON form written to KV. */
export const CachedClientJson = Schema.fromJsonString(CachedClient)

export interface ClientRow {
  client_id: string
  client_name: string
  client_secret_hash: string | null
  redirect_uris: string
  post_logout_redirect_uris: string
  grant_types: string
  response_types: string
  token_endpoint_auth_method: string
  scope: string
  id_token_signed_response_alg: string
  skip_consent: number
  /** Migration 0005; absent before it is applied. */
  backchannel_logout_uri?: string | null
  backchannel_logout_session_required?: number
  /** Migration 0021 (Front-Channel Logout 1.0); absent before it is applied. */
  frontchannel_logout_uri?: string | null
  frontchannel_logout_session_required?: number
  /** Migration 0022 (JAR §5.2 `request_uris`, a JSON array); absent before it is applied. */
  request_uris?: string | null
  /** Migration 0023 (FAPI 2.0 Security Profile switch); absent before it is applied. */
  fapi_profile?: string | null
  /** Migration 0026 (RFC 8693 token exchange policy, a JSON object); absent before it is applied. */
  token_exchange_policy?: string | null
  /** Migration 0025 (RFC 8707 resources the client may name, a JSON array); absent before it is applied. */
  resources?: string | null
  /** Migration 0024 (OIDC Core §8 subject type, default 'public', and the sector document URL); absent before it is applied. */
  subject_type?: string | null
  sector_identifier_uri?: string | null
  /** JSON JWK Set and URL of a private_key_jwt client (0001 columns). */
  jwks?: string | null
  jwks_uri?: string | null
  /** Migration 0007 (RFC 9126 PAR); absent before it is applied. */
  require_pushed_authorization_requests?: number
  /** Migration 0009 (issue 9 §2); absent before it is applied. */
  online_refresh_tokens?: number
  /** Migration 0012 (secret rotation with a grace period); absent before it is applied. */
  previous_secret_hash?: string | null
  previous_secret_expires_at?: number | null
  /** Migration 0012 (RFC 9449 §5.2); absent before it is applied. */
  dpop_bound_access_tokens?: number
  /** Migration 0012 (RFC 7591 §2 links shown on the login and consent pages); absent before it is applied. */
  logo_uri?: string | null
  policy_uri?: string | null
  tos_uri?: string | null
}

const StringList = Schema.fromJsonString(Schema.Array(Schema.String))

/** The row's JSON columns and enums, checked by Schema (a corrupt row is a defect, not a client). */
const RowAsClient = Schema.Struct({
  clientId: Schema.String,
  clientName: Schema.String,
  redirectUris: StringList,
  postLogoutRedirectUris: StringList,
  grantTypes: StringList,
  responseTypes: StringList,
  tokenEndpointAuthMethod: Client.fields.tokenEndpointAuthMethod,
  isPublic: Schema.Boolean,
  scope: Schema.String,
  idTokenSignedResponseAlg: Client.fields.idTokenSignedResponseAlg,
  skipConsent: Schema.Boolean,
  backchannelLogoutUri: Client.fields.backchannelLogoutUri,
  backchannelLogoutSessionRequired: Client.fields.backchannelLogoutSessionRequired,
  frontchannelLogoutUri: Client.fields.frontchannelLogoutUri,
  frontchannelLogoutSessionRequired: Client.fields.frontchannelLogoutSessionRequired,
  requestUris: Schema.optional(StringList),
  fapiProfile: Client.fields.fapiProfile,
  tokenExchangePolicy: Schema.optional(Schema.fromJsonString(TokenExchangePolicy)),
  resources: Schema.optional(StringList),
  subjectType: Client.fields.subjectType,
  sectorIdentifierUri: Client.fields.sectorIdentifierUri,
  jwks: Schema.optional(Schema.fromJsonString(ClientJwks)),
  jwksUri: Client.fields.jwksUri,
  requirePushedAuthorizationRequests: Client.fields.requirePushedAuthorizationRequests,
  onlineRefreshTokens: Client.fields.onlineRefreshTokens,
  dpopBoundAccessTokens: Client.fields.dpopBoundAccessTokens,
  logoUri: Client.fields.logoUri,
  policyUri: Client.fields.policyUri,
  tosUri: Client.fields.tosUri
})

/** Maps a D1 row to its cache entry. */
export const cachedFromRow = (row: ClientRow): CachedClient => ({
  found: true,
  secretHash: row.client_secret_hash,
  ...(row.previous_secret_hash == null || row.previous_secret_expires_at == null
    ? {}
    : { previousSecret: { hash: row.previous_secret_hash, expiresAt: row.previous_secret_expires_at } }),
  client: Schema.decodeUnknownSync(RowAsClient)({
    clientId: row.client_id,
    clientName: row.client_name,
    redirectUris: row.redirect_uris,
    postLogoutRedirectUris: row.post_logout_redirect_uris,
    grantTypes: row.grant_types,
    responseTypes: row.response_types,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    isPublic: row.token_endpoint_auth_method === "none",
    scope: row.scope,
    idTokenSignedResponseAlg: row.id_token_signed_response_alg,
    skipConsent: row.skip_consent === 1,
    // Back-channel metadata only when set: a client without it looks exactly as before migration 0005.
    ...(row.backchannel_logout_uri == null ? {} : { backchannelLogoutUri: row.backchannel_logout_uri }),
    ...(row.backchannel_logout_session_required === 1 ? { backchannelLogoutSessionRequired: true } : {}),
    // Front-channel metadata only when set (migration 0021), so other clients look exactly as before.
    ...(row.frontchannel_logout_uri == null ? {} : { frontchannelLogoutUri: row.frontchannel_logout_uri }),
    ...(row.frontchannel_logout_session_required === 1 ? { frontchannelLogoutSessionRequired: true } : {}),
    // Registered request_uris only when set (migration 0022), so other clients look exactly as before.
    ...(row.request_uris == null ? {} : { requestUris: row.request_uris }),
    // The FAPI profile only when set (migration 0023), so other clients look exactly as before.
    ...(row.fapi_profile == null ? {} : { fapiProfile: row.fapi_profile }),
    // The token exchange policy only when set (migration 0026), so other clients look exactly as before.
    ...(row.token_exchange_policy == null ? {} : { tokenExchangePolicy: row.token_exchange_policy }),
    // RFC 8707 resources only when set (migration 0025), so other clients look exactly as before.
    ...(row.resources == null ? {} : { resources: row.resources }),
    // Pairwise subjects only when set (migration 0024), so public clients look exactly as before.
    ...(row.subject_type === "pairwise" ? { subjectType: row.subject_type } : {}),
    ...(row.sector_identifier_uri == null ? {} : { sectorIdentifierUri: row.sector_identifier_uri }),
    // private_key_jwt keys only when set, so other clients look exactly as before.
    ...(row.jwks == null ? {} : { jwks: row.jwks }),
    ...(row.jwks_uri == null ? {} : { jwksUri: row.jwks_uri }),
    // PAR requirement only when set (migration 0007), so other clients look exactly as before.
    ...(row.require_pushed_authorization_requests === 1 ? { requirePushedAuthorizationRequests: true } : {}),
    // Online refresh tokens only when set (migration 0009), so other clients look exactly as before.
    ...(row.online_refresh_tokens === 1 ? { onlineRefreshTokens: true } : {}),
    // DPoP required only when set (migration 0012), so other clients look exactly as before.
    ...(row.dpop_bound_access_tokens === 1 ? { dpopBoundAccessTokens: true } : {}),
    // The hosted pages' client links only when set (migration 0012), so other clients look exactly as before.
    ...(row.logo_uri == null ? {} : { logoUri: row.logo_uri }),
    ...(row.policy_uri == null ? {} : { policyUri: row.policy_uri }),
    ...(row.tos_uri == null ? {} : { tosUri: row.tos_uri })
  })
})
