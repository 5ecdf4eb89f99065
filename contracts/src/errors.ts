/**
 * Tagged errors that cross service boundaries. Workers RPC cannot carry error
 * classes, so these are Schema classes: a backend encodes them into the RPC
 * envelope (see `rpc.ts`) and the caller decodes them back into its typed error
 * channel. Only defects are thrown.
 */
import { Schema } from "effect"

/** Every OAuth 2.x / OIDC wire error code the provider can emit. */
export const OAuthErrorCode = Schema.Literals([
  "invalid_request",
  "invalid_grant",
  "invalid_client",
  "unauthorized_client",
  "unsupported_grant_type",
  "unsupported_response_type",
  "invalid_scope",
  "access_denied",
  "login_required",
  "consent_required",
  "interaction_required",
  "invalid_dpop_proof",
  "use_dpop_nonce",
  "authorization_pending",
  "slow_down",
  "expired_token",
  "invalid_token",
  "insufficient_scope",
  "invalid_client_metadata",
  "invalid_redirect_uri",
  "invalid_request_uri",
  "invalid_request_object",
  "request_not_supported",
  "request_uri_not_supported",
  "unsupported_token_type",
  "temporarily_unavailable",
  "server_error"
])
/** A wire error code, e.g. `"invalid_grant"`. */
export type OAuthErrorCode = typeof OAuthErrorCode.Type

/**
 * A protocol failure whose wire meaning is known where it happens (a replayed
 * code is `invalid_grant` wherever it is detected). The edge renders it with
 * the status and headers of `oauth-wire.ts`.
 */
export class OAuthError extends Schema.TaggedError<OAuthError>()("OAuthError", {
  code: OAuthErrorCode,
  description: Schema.String
}) {}

/** A record that does not exist (or has expired, which a caller cannot tell apart on purpose). */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  what: Schema.String
}) {}

/** Email/password (or another credential) did not verify. Deliberately says nothing about which part. */
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>()("InvalidCredentials", {}) {}

/**
 * A storage binding (D1, KV, R2, DO, Queue) failed after the retry policy gave up,
 * or a non-transient storage fault. Maps to `temporarily_unavailable` (503).
 */
export class Unavailable extends Schema.TaggedError<Unavailable>()("Unavailable", {
  service: Schema.String,
  reason: Schema.String
}) {}

/**
 * A required setting of `service` is missing or refused in this deployment
 * (`reason`, e.g. "is not set", "outbox is refused in production"); see
 * `deployment.ts`. Any RPC method may fail with it (the envelope adds it to
 * every method's failures, see `rpc.ts`); the edge renders it as 503
 * `server_error` naming the setting, never a fallback.
 */
export class Misconfigured extends Schema.TaggedError<Misconfigured>()("Misconfigured", {
  service: Schema.String,
  setting: Schema.String,
  reason: Schema.String
}) {}

/**
 * The keys service refused to sign a token (contracts/src/keys.ts
 * `signTokens`): its claim set breaks the rules of its `kind` (`reason` says
 * which, e.g. "iss is not this deployment's issuer", "exp is not after iat").
 * Never a client's fault — the caller built a token the provider must not
 * issue — so callers answer it as a server error, not as the client's
 * `invalid_request`.
 */
export class SigningRefused extends Schema.TaggedError<SigningRefused>()("SigningRefused", {
  kind: Schema.String,
  reason: Schema.String
}) {}

/**
 * Caller-side only: the RPC itself failed (binding threw, the backend had a
 * defect, or its answer did not decode). Never encoded on the wire.
 */
export class RpcFailure extends Schema.TaggedError<RpcFailure>()("RpcFailure", {
  service: Schema.String,
  method: Schema.String,
  reason: Schema.String
}) {}

/** The failure union most methods use. */
export const CommonFailure = Schema.Union([OAuthError, NotFound, Unavailable])
/** Type of {@link CommonFailure}. */
export type CommonFailure = typeof CommonFailure.Type
