/**
 * The RFC 7591 §3.2.1 / RFC 7592 §3 client information members of a
 * registered client, snake_case as they go on the wire (the edge adds
 * `registration_client_uri`). Only what is set is answered; the client secret
 * is not (only its hash is kept) — `client_secret_expires_at` (0: never) says
 * a confidential client has one.
 */
import type { Client } from "@authrim/contracts"

/** The metadata document of `client`, registered at `registeredAt` (ms), with its stored extra members. */
export const registrationDocument = (client: Client, extra: Readonly<Record<string, unknown>>, registeredAt: number): Record<string, unknown> => {
  const confidential = client.tokenEndpointAuthMethod === "client_secret_basic" || client.tokenEndpointAuthMethod === "client_secret_post"
  return {
    ...extra,
    client_id: client.clientId,
    client_id_issued_at: Math.floor(registeredAt / 1000),
    ...(confidential ? { client_secret_expires_at: 0 } : {}),
    client_name: client.clientName,
    redirect_uris: client.redirectUris,
    ...(client.postLogoutRedirectUris.length === 0 ? {} : { post_logout_redirect_uris: client.postLogoutRedirectUris }),
    grant_types: client.grantTypes,
    response_types: client.responseTypes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    scope: client.scope,
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    ...(client.jwks == null ? {} : { jwks: client.jwks }),
    ...(client.jwksUri == null ? {} : { jwks_uri: client.jwksUri }),
    ...(client.backchannelLogoutUri == null ? {} : { backchannel_logout_uri: client.backchannelLogoutUri, backchannel_logout_session_required: client.backchannelLogoutSessionRequired ?? false }),
    ...(client.frontchannelLogoutUri == null ? {} : { frontchannel_logout_uri: client.frontchannelLogoutUri, frontchannel_logout_session_required: client.frontchannelLogoutSessionRequired ?? false }),
    ...(client.requestUris === undefined || client.requestUris.length === 0 ? {} : { request_uris: client.requestUris }),
    ...(client.requirePushedAuthorizationRequests === true ? { require_pushed_authorization_requests: true } : {}),
    // OIDC Registration §2 subject_type: answered when not the default (public).
    ...(client.subjectType === "pairwise" ? { subject_type: "pairwise" } : {}),
    ...(client.sectorIdentifierUri == null ? {} : { sector_identifier_uri: client.sectorIdentifierUri })
  }
}
