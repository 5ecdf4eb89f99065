/**
 * `private_key_jwt` client authentication (RFC 7523 §2.2 / §3, OIDC Core §9),
 * implemented by `IdentityService`.
 *
 * The edge hands over the raw `client_assertion` and the audiences this
 * request accepts; the identity service checks everything else: the client is
 * registered for `private_key_jwt`, the signature verifies with one of its keys
 * (`jwks` by value, or `jwks_uri` fetched with a short cache) under an allowed
 * algorithm, `iss` = `sub` = client_id, `aud` names one of `audiences`, `exp`
 * is present and not too far ahead, and `jti` has never been seen for this
 * client (single use, recorded atomically until the assertion expires). Every
 * failure is the same `invalid_client`.
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { Client } from "./identity.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** RFC 7523 §2.2 `client_assertion_type` of a JWT client assertion. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

/**
 * Algorithms accepted on client assertions (`token_endpoint_auth_signing_alg_values_supported`).
 * Asymmetric only: `none` and the HMAC family (`client_secret_jwt`) are refused.
 */
export const CLIENT_ASSERTION_ALGS = ["RS256", "PS256", "ES256", "EdDSA"] as const

/** Algorithms accepted on signed request objects (`request_object_signing_alg_values_supported`); never `none`. */
export const REQUEST_OBJECT_ALGS = CLIENT_ASSERTION_ALGS

/** Method schemas of client-assertion authentication. */
export const ClientAuthContract = {
  /**
   * Verifies a `private_key_jwt` assertion for `clientId` and consumes its `jti`.
   * `audiences`: the values `aud` may name (the issuer and the endpoint URLs, see the edge).
   * Any failure (unknown client, other method, bad signature, replay…) is `OAuthError(invalid_client)`.
   */
  authenticateClientAssertion: rpcMethod(
    Schema.Struct({ clientId: Schema.String, assertion: Schema.String, audiences: Schema.Array(Schema.String) }),
    Client,
    Schema.Union([NotFound, Unavailable, OAuthError])
  ),
  /**
   * Verifies a signed request object (JAR, RFC 9101 §6.1) of `clientId` with the client's keys
   * (`jwks` / `jwks_uri`) under `REQUEST_OBJECT_ALGS` (`none` and HMAC refused). `iss` must be the
   * client_id and `aud` must name `issuer` when present; `exp`/`nbf` are enforced when present.
   * Returns the JWT claims (the authorization request parameters). Any failure, including an
   * unknown client or one without keys, is `OAuthError(invalid_request_object)`.
   */
  verifyRequestObject: rpcMethod(
    Schema.Struct({ clientId: Schema.String, requestObject: Schema.String, issuer: Schema.String }),
    Schema.Struct({ claims: Schema.Record(Schema.String, Schema.Unknown) }),
    Schema.Union([NotFound, Unavailable, OAuthError])
  )
} as const
export const ClientAuthContractVersion = contractVersion(ClientAuthContract, { name: "client_auth", version: 3 })

/** RPC interface of client-assertion authentication. */
export type ClientAuthRpc = RpcInterface<typeof ClientAuthContract>
