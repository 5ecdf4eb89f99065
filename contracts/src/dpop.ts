/**
 * DPoP contract (RFC 9449), implemented by `TokensService`: proof checking
 * with the one-time `jti` store and the server nonce live in the tokens
 * service; the edge hands over the raw `DPoP` header and what it knows of the
 * request (method, public URL, presented access token).
 */
import { Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/**
 * JWS algs accepted for proofs (`dpop_signing_alg_values_supported`). Only
 * asymmetric algs (RFC 9449 §4.2: "MUST NOT be none or a symmetric alg");
 * RSA keys below 2048 bits are refused by jose.
 */
export const dpopSigningAlgs = ["ES256", "ES384", "PS256", "RS256", "EdDSA"] as const

/** What the edge knows of the request carrying the proof. */
export const DpopProofRequest = Schema.Struct({
  /** The value of the single `DPoP` request header. */
  proof: Schema.String,
  /** HTTP method of the request (`htm`), e.g. `POST`. */
  htm: Schema.String,
  /** Public URL of the request (`htu`); query and fragment are ignored. */
  htu: Schema.String,
  /** The access token presented with the proof at a protected resource (checked against `ath`); null at /token. */
  accessToken: Schema.NullOr(Schema.String),
  /** When true, a proof without the current server nonce fails with `use_dpop_nonce` (RFC 9449 §8). */
  nonceRequired: Schema.Boolean
})
/** Type of {@link DpopProofRequest}. */
export type DpopProofRequest = typeof DpopProofRequest.Type

/**
 * Outcome of a proof check. Both arms carry the current server nonce, which
 * the edge sends as `DPoP-Nonce` (always with `use_dpop_nonce`, RFC 9449 §8).
 */
export const DpopProofOutcome = Schema.Union([
  Schema.Struct({
    valid: Schema.Literal(true),
    /** RFC 7638 SHA-256 thumbprint of the proof's `jwk` (the `cnf.jkt` a token gets bound to). */
    jkt: Schema.String,
    nonce: Schema.String
  }),
  Schema.Struct({
    valid: Schema.Literal(false),
    error: Schema.Literals(["invalid_dpop_proof", "use_dpop_nonce"]),
    description: Schema.String,
    nonce: Schema.String
  })
])
/** Type of {@link DpopProofOutcome}. */
export type DpopProofOutcome = typeof DpopProofOutcome.Type

/** Method schemas of DPoP on the tokens service. */
export const DpopContract = {
  /**
   * Checks a proof (typ, alg, public `jwk`, signature, htm, htu, iat window,
   * `ath`, nonce) and accepts its `jti` once; a replay is `invalid_dpop_proof`.
   */
  checkDpopProof: rpcMethod(DpopProofRequest, DpopProofOutcome, Unavailable)
} as const
export const DpopContractVersion = contractVersion(DpopContract, { name: "dpop", version: 1 })

/** RPC interface of DPoP on `TokensService`. */
export type DpopRpc = RpcInterface<typeof DpopContract>
