/**
 * The one place typed errors become OAuth/OIDC wire errors: status code, JSON
 * body (RFC 6749 §5.2) and, for protected resources, `WWW-Authenticate`
 * (RFC 6750 §3). The edge renders every failure through `toWireError`.
 */
import { Schema } from "effect"
import type { OAuthErrorCode } from "./errors.ts"
import type { CommonFailure } from "./errors.ts"
import type { InvalidCredentials, Misconfigured, RpcFailure } from "./errors.ts"

/** HTTP status of each wire error code at the token/introspection/revocation endpoints. */
export const oauthErrorStatus: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_grant: 400,
  invalid_client: 401,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  login_required: 400,
  consent_required: 400,
  interaction_required: 400,
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
  authorization_pending: 400,
  slow_down: 400,
  expired_token: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_client_metadata: 400,
  invalid_redirect_uri: 400,
  invalid_request_uri: 400,
  invalid_request_object: 400,
  request_not_supported: 400,
  request_uri_not_supported: 400,
  unsupported_token_type: 400,
  temporarily_unavailable: 503,
  server_error: 500
}

/**
 * Wire codes only the edge emits, never carried by a backend's `OAuthError`
 * (so no RPC schema changes): the edge builds these answers itself.
 * `unmet_authentication_requirements` (OpenID Connect Core Unmet
 * Authentication Requirements 1.0): an essential `acr` claim request the
 * sign-in could not satisfy, sent to the redirect_uri.
 * `invalid_target` (RFC 8707 §2, RFC 8693 §2.2.2): a requested `audience` /
 * `resource` the client may not obtain a token for (token exchange policy).
 */
export const edgeOnlyErrorStatus = {
  unmet_authentication_requirements: 400,
  invalid_target: 400
} as const
/** A code of {@link edgeOnlyErrorStatus}. */
export type EdgeOnlyErrorCode = keyof typeof edgeOnlyErrorStatus

/**
 * An edge-only wire error (see {@link edgeOnlyErrorStatus}) raised by the edge itself; never crosses
 * an RPC boundary (no contract carries it), so adding a code changes no RPC schema.
 */
export class EdgeOAuthError extends Schema.TaggedError<EdgeOAuthError>()("EdgeOAuthError", {
  code: Schema.Literals(["unmet_authentication_requirements", "invalid_target"]),
  description: Schema.String
}) {}

/** A wire error ready to render. */
export interface WireError {
  readonly code: OAuthErrorCode | EdgeOnlyErrorCode
  readonly description: string
  readonly status: number
}

/** Any failure the edge can meet from a backend. */
export type EdgeFailure = CommonFailure | InvalidCredentials | Misconfigured | RpcFailure | EdgeOAuthError

/**
 * Maps a typed failure to its wire error. Storage and transport faults are
 * `temporarily_unavailable` (503: the client may retry), never a bare 500. A
 * configuration error is `server_error` with 503 and names the setting, so an
 * operator reading the page or the JSON knows what to set.
 */
export const toWireError = (error: EdgeFailure): WireError => {
  switch (error._tag) {
    case "OAuthError":
      return { code: error.code, description: error.description, status: oauthErrorStatus[error.code] }
    case "EdgeOAuthError":
      return { code: error.code, description: error.description, status: edgeOnlyErrorStatus[error.code] }
    case "NotFound":
      return { code: "invalid_request", description: `${error.what} not found`, status: 400 }
    case "InvalidCredentials":
      return { code: "access_denied", description: "invalid credentials", status: 403 }
    case "Misconfigured":
      // 503, not 500: the provider cannot serve this until an operator sets the named setting.
      return { code: "server_error", description: `configuration error: ${error.setting} ${error.reason} (authrim-${error.service})`, status: 503 }
    case "Unavailable":
    case "RpcFailure":
      return { code: "temporarily_unavailable", description: "the service is temporarily unavailable, retry later", status: 503 }
  }
}

/** RFC 6750 §3 challenge for a protected resource (`scheme` is Bearer or DPoP). */
export const wwwAuthenticate = (scheme: "Bearer" | "DPoP", wire?: WireError): string => {
  const quote = (s: string) => s.replace(/["\\]/g, "")
  return wire === undefined
    ? `${scheme} realm="authrim"`
    : `${scheme} realm="authrim", error="${wire.code}", error_description="${quote(wire.description)}"`
}
