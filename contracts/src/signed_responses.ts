/**
 * Signed responses the edge hands to clients (issue 14), implemented by
 * `TokensService` (the one edge-facing worker allowed to sign, through the
 * keys service's typed `signTokens`): the tokens service builds the claim
 * set itself — `iss`, `aud` = the client, `iat` (and `exp` for JARM) — so the
 * edge passes only what the response says.
 *
 * - JARM (JWT Secured Authorization Response Mode for OAuth 2.0, §2): the
 *   authorization response parameters (`code`, `state`, or `error`,
 *   `error_description`, `state`) as claims of a JWT of keys kind
 *   `authorization_response`, valid for {@link AUTHORIZATION_RESPONSE_TTL_SECONDS}.
 * - RFC 9701 §5: an introspection response as the `token_introspection` claim
 *   of a JWT of keys kind `token_introspection` (`typ: token-introspection+jwt`,
 *   no `exp` nor `sub`: it must not pass for an access token).
 */
import { Schema } from "effect"
import { OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"
import { Introspection } from "./tokens.ts"

/** Lifetime of a JARM response JWT (seconds): JARM §2.1 wants it short; enough for a redirect and a slow RP. */
export const AUTHORIZATION_RESPONSE_TTL_SECONDS = 600

const SignedResponseFailure = Schema.Union([OAuthError, Unavailable])
const SignedJwt = Schema.Struct({ jwt: Schema.String })

/** Method schemas of the signed responses. */
export const SignedResponsesContract = {
  /**
   * JARM: signs the authorization response `params` (each a string; the reserved
   * claims `iss`, `aud`, `iat`, `exp` are the service's and refused as params)
   * for `clientId`, RS256 (JARM §2.2's default; no per-client alg yet).
   */
  signAuthorizationResponse: rpcMethod(
    Schema.Struct({ issuer: Schema.String, clientId: Schema.String, params: Schema.Record(Schema.String, Schema.String) }),
    SignedJwt,
    SignedResponseFailure
  ),
  /** RFC 9701: signs `introspection` for the calling client `clientId` (the JWT's `aud`), RS256 (RFC 9701 §5's default). */
  signIntrospectionResponse: rpcMethod(
    Schema.Struct({ issuer: Schema.String, clientId: Schema.String, introspection: Introspection }),
    SignedJwt,
    SignedResponseFailure
  )
} as const
export const SignedResponsesContractVersion = contractVersion(SignedResponsesContract, { name: "signed_responses", version: 2 })

/** RPC interface of {@link SignedResponsesContract}. */
export type SignedResponsesRpc = RpcInterface<typeof SignedResponsesContract>
