/**
 * The one statement that writes a client's `oauth_clients` row: an idempotent
 * `INSERT … ON CONFLICT (client_id) DO UPDATE` (safe to retry; `created_at` is
 * kept). Shared by `upsertClient` (seed, admin) and dynamic registration, which
 * batches it with its own `client_registrations` row.
 */
import type { ClientMetadata } from "./client_metadata.ts"

/** The prepared upsert of `metadata` with `secretHash` (null: public or private_key_jwt) at `now`. */
export const clientUpsertStatement = (db: D1Database, metadata: ClientMetadata, secretHash: string | null, now: number): D1PreparedStatement =>
  db.prepare(
    `INSERT INTO oauth_clients (client_id, client_name, client_secret_hash, redirect_uris, post_logout_redirect_uris,
       grant_types, response_types, token_endpoint_auth_method, scope, id_token_signed_response_alg, skip_consent,
       created_at, updated_at, backchannel_logout_uri, backchannel_logout_session_required, jwks, jwks_uri,
       require_pushed_authorization_requests, online_refresh_tokens, frontchannel_logout_uri, frontchannel_logout_session_required,
       request_uris, fapi_profile, token_exchange_policy, resources, subject_type, sector_identifier_uri)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)
     ON CONFLICT (client_id) DO UPDATE SET
       client_name = excluded.client_name, client_secret_hash = excluded.client_secret_hash,
       redirect_uris = excluded.redirect_uris, post_logout_redirect_uris = excluded.post_logout_redirect_uris,
       grant_types = excluded.grant_types, response_types = excluded.response_types,
       token_endpoint_auth_method = excluded.token_endpoint_auth_method, scope = excluded.scope,
       id_token_signed_response_alg = excluded.id_token_signed_response_alg, skip_consent = excluded.skip_consent,
       updated_at = excluded.updated_at, backchannel_logout_uri = excluded.backchannel_logout_uri,
       backchannel_logout_session_required = excluded.backchannel_logout_session_required,
       jwks = excluded.jwks, jwks_uri = excluded.jwks_uri,
       require_pushed_authorization_requests = excluded.require_pushed_authorization_requests,
       online_refresh_tokens = excluded.online_refresh_tokens,
       frontchannel_logout_uri = excluded.frontchannel_logout_uri,
       frontchannel_logout_session_required = excluded.frontchannel_logout_session_required,
       request_uris = excluded.request_uris, fapi_profile = excluded.fapi_profile,
       token_exchange_policy = excluded.token_exchange_policy, resources = excluded.resources,
       subject_type = excluded.subject_type, sector_identifier_uri = excluded.sector_identifier_uri, version = oauth_clients.version + 1`
  ).bind(
    metadata.clientId,
    metadata.clientName,
    secretHash,
    JSON.stringify(metadata.redirectUris),
    JSON.stringify(metadata.postLogoutRedirectUris),
    JSON.stringify(metadata.grantTypes),
    JSON.stringify(metadata.responseTypes),
    metadata.tokenEndpointAuthMethod,
    metadata.scope,
    metadata.idTokenSignedResponseAlg,
    metadata.skipConsent ? 1 : 0,
    now,
    metadata.backchannelLogoutUri,
    metadata.backchannelLogoutSessionRequired ? 1 : 0,
    metadata.jwks === null ? null : JSON.stringify(metadata.jwks),
    metadata.jwksUri,
    metadata.requirePushedAuthorizationRequests ? 1 : 0,
    metadata.onlineRefreshTokens ? 1 : 0,
    metadata.frontchannelLogoutUri,
    metadata.frontchannelLogoutSessionRequired ? 1 : 0,
    metadata.requestUris.length === 0 ? null : JSON.stringify(metadata.requestUris),
    metadata.fapiProfile,
    metadata.tokenExchangePolicy === null ? null : JSON.stringify(metadata.tokenExchangePolicy),
    metadata.resources.length === 0 ? null : JSON.stringify(metadata.resources),
    metadata.subjectType,
    metadata.sectorIdentifierUri
  )
