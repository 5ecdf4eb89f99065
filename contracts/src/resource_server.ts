/**
 * Resource-server contract (issue 13 §1), implemented by the
 * `TokensForResourceServers` entrypoint of authrim-tokens: what another team's
 * Worker that serves an API needs to accept Authrim's access tokens — verify
 * one (signature, iss, aud, exp, revocation, DPoP binding) and introspect one
 * (RFC 7662). Bound by a consumer as
 * `services: [{ binding: "AUTHRIM", service: "authrim-tokens", entrypoint: "TokensForResourceServers" }]`
 * and used through `@authrim/client` (packages/client).
 */
import { contractVersion } from "./contract_version.ts"
import { Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { Introspection } from "./tokens.ts"

/** The authorization scheme a token was presented with (RFC 6750 §2.1 `Bearer`, RFC 9449 §7.1 `DPoP`). */
export const PresentedScheme = Schema.Literals(["Bearer", "DPoP"])
/** Type of {@link PresentedScheme}. */
export type PresentedScheme = typeof PresentedScheme.Type

/** The request a DPoP proof came with, as the resource server received it (RFC 9449 §4.3 items 8–9). */
export const ResourceDpopProof = Schema.Struct({
  /** The value of the single `DPoP` request header. */
  proof: Schema.String,
  /** The request's HTTP method (the proof's `htm`). */
  method: Schema.String,
  /** The request's URL as the client addressed it (the proof's `htu`; query and fragment are ignored). */
  url: Schema.String
})
/** Type of {@link ResourceDpopProof}. */
export type ResourceDpopProof = typeof ResourceDpopProof.Type

/** What a resource server asks about one presented access token. */
export const VerifyAccessTokenRequest = Schema.Struct({
  /** The access token (the credentials of `Authorization: Bearer|DPoP <token>`). */
  token: Schema.String,
  /** The issuer the resource server trusts (`iss`, e.g. `https://id.example.com`). */
  issuer: Schema.String,
  /** The resource server's own identifier, which must be in the token's `aud` (RFC 9068 §4). */
  audience: Schema.String,
  /** Default: `DPoP` when `dpop` is given, else `Bearer`. A bound token under Bearer, or an unbound one under DPoP, is refused (RFC 9449 §7.1). */
  scheme: Schema.optional(PresentedScheme),
  /** The `DPoP` header and the request it came with; required for a DPoP-bound token. */
  dpop: Schema.optional(ResourceDpopProof),
  /** Scopes the resource requires; one missing is `insufficient_scope` (RFC 6750 §3.1). */
  requiredScopes: Schema.optional(Schema.Array(Schema.String))
})
/** Type of {@link VerifyAccessTokenRequest}. */
export type VerifyAccessTokenRequest = typeof VerifyAccessTokenRequest.Type

/** A verified, unrevoked access token's claims, as a resource server uses them. */
export const VerifiedAccessToken = Schema.Struct({
  /** The end user's id, or the client_id for a client's own token (`clientOnly`). */
  sub: Schema.String,
  clientId: Schema.String,
  /** Space-separated scopes (RFC 6749 §3.3) and the same as a list. */
  scope: Schema.String,
  scopes: Schema.Array(Schema.String),
  jti: Schema.String,
  iss: Schema.String,
  aud: Schema.Array(Schema.String),
  /** Epoch seconds. */
  exp: Schema.Number,
  iat: Schema.Number,
  /** The session the token came from (OIDC `sid`), null for tokens without one. */
  sid: Schema.NullOr(Schema.String),
  /** `Bearer`, or `DPoP` for a sender-constrained token (whose proof was checked). */
  tokenType: PresentedScheme,
  /** RFC 9449: `cnf.jkt` of a DPoP-bound token. */
  jkt: Schema.optional(Schema.String),
  /** True when no end user is behind the token (client_credentials). */
  clientOnly: Schema.Boolean
})
/** Type of {@link VerifiedAccessToken}. */
export type VerifiedAccessToken = typeof VerifiedAccessToken.Type

/** Error codes a refusal may carry: RFC 6750 §3.1 and RFC 9449 §7.1 / §8. */
export const ResourceErrorCode = Schema.Literals(["invalid_request", "invalid_token", "insufficient_scope", "invalid_dpop_proof", "use_dpop_nonce"])
/** Type of {@link ResourceErrorCode}. */
export type ResourceErrorCode = typeof ResourceErrorCode.Type

/**
 * The token may not be used for this request. `error` is the RFC 6750 / 9449
 * code to answer with; `scheme` the challenge scheme (`DPoP` when the token is
 * bound or DPoP was used); `status` 401, 403 (`insufficient_scope`) or 400
 * (`invalid_request`); `nonce` a DPoP-Nonce to send with `use_dpop_nonce`.
 */
export class AccessTokenRefused extends Schema.TaggedError<AccessTokenRefused>()("AccessTokenRefused", {
  error: ResourceErrorCode,
  description: Schema.String,
  scheme: PresentedScheme,
  status: Schema.Literals([400, 401, 403]),
  nonce: Schema.NullOr(Schema.String),
  /** For `insufficient_scope`: the scopes the resource requires (the challenge's `scope`). */
  scope: Schema.optional(Schema.String)
}) {}

/** RFC 7662 introspection by a resource server: is this token one it should accept. */
export const ResourceIntrospectRequest = Schema.Struct({
  token: Schema.String,
  issuer: Schema.String,
  /** The resource server's identifier: a token whose `aud` lacks it is inactive for this caller. */
  audience: Schema.String
})
/** Type of {@link ResourceIntrospectRequest}. */
export type ResourceIntrospectRequest = typeof ResourceIntrospectRequest.Type

/** Method schemas of `TokensForResourceServers`. */
export const ResourceServerContract = {
  /**
   * Verifies a presented access token for a resource server: signature
   * (Authrim's keys), `typ` at+jwt, `iss`, `aud` ∋ audience, `exp`, the
   * revocation list, the DPoP binding (proof signature, htm, htu, iat, ath,
   * one-time jti, key = `cnf.jkt`) and the required scopes.
   */
  verifyAccessToken: rpcMethod(VerifyAccessTokenRequest, VerifiedAccessToken, Schema.Union([AccessTokenRefused, Unavailable])),
  /**
   * RFC 7662 §2.2 for a resource server: `{ active: true, … }` for a valid,
   * unrevoked, unexpired access token whose `aud` holds `audience`; else only
   * `{ active: false }`. Refresh tokens are never active here (they are not
   * presented to resources). No DPoP proof is checked: `cnf` says the binding.
   */
  introspect: rpcMethod(ResourceIntrospectRequest, Introspection, Unavailable)
} as const
export const ResourceServerContractVersion = contractVersion(ResourceServerContract, { name: "resource_server", version: 2 })

/** RPC interface of `TokensForResourceServers` (the type of a consumer's `env.AUTHRIM`). */
export type ResourceServerRpc = RpcInterface<typeof ResourceServerContract>
