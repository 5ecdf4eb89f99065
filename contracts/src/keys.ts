/**
 * Keys service contracts (`services/keys`), one per caller role (issue 13 §2,
 * least privilege). Each entrypoint of the keys worker serves only the
 * contracts of its role:
 *
 * | entrypoint      | contracts                                        | bound by |
 * | --------------- | ------------------------------------------------ | -------- |
 * | `KeysForEdge`   | {@link KeysPublicContract} + `HealthContract`     | edge `KEYS` |
 * | `KeysAdmin`     | {@link KeysAdminContract}                        | edge `KEYS_ADMIN` (admin API and console only) |
 * | `KeysForTokens` | {@link KeysSigningContract} + {@link KeysPublicContract} | tokens `KEYS` |
 *
 * There is no arbitrary-payload signing: `signTokens` signs only the token
 * kinds the provider issues, sets their JOSE header itself and refuses a
 * claim set that is not one of them (services/keys/README.md, "Signing
 * rules"). Private keys never leave the service, so no method here returns
 * private key material.
 */
import { Schema } from "effect"
import { Unavailable, OAuthError, SigningRefused } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** JWS algorithms the provider signs with. RS256 is the OIDC default. */
export const SigningAlg = Schema.Literals(["RS256", "ES256"])
/** Type of {@link SigningAlg}. */
export type SigningAlg = typeof SigningAlg.Type

/** A public JWK as published in the JWKS (`kid`, `alg`, `use` always present). */
export const PublicJwk = Schema.Record(Schema.String, Schema.Unknown)

/** Metadata of one key; never its private part. */
export const KeyInfo = Schema.Struct({
  kid: Schema.String,
  alg: SigningAlg,
  createdAt: Schema.Number,
  /** Signs new tokens while true. */
  active: Schema.Boolean,
  /** When a retired key leaves the JWKS (epoch ms); null while active. */
  retiresAt: Schema.NullOr(Schema.Number)
})

const KeysFailure = Schema.Union([Unavailable, OAuthError])

/**
 * The token kinds the keys service signs, each with the JOSE `typ` the keys
 * service gives it: `id_token` → `JWT` (OIDC Core §2), `access_token` →
 * `at+jwt` (RFC 9068 §2.1), `logout_token` → `logout+jwt` (OIDC Back-Channel
 * Logout 1.0 §2.4); added in keys_signing v2 (issue 14): `authorization_response`
 * → `JWT` (JARM, the response parameters of /authorize) and
 * `token_introspection` → `token-introspection+jwt` (RFC 9701 §5).
 */
export const TokenKind = Schema.Literals(["id_token", "access_token", "logout_token", "authorization_response", "token_introspection"])
/** Type of {@link TokenKind}. */
export type TokenKind = typeof TokenKind.Type

/** The `events` member that makes a JWT a logout token (OIDC Back-Channel Logout 1.0 §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"

/**
 * One token to sign in a {@link KeysSigningContract.signTokens} batch. The
 * caller gives the kind, the alg and the claim set; the header (`alg`, `kid`,
 * `typ`) is the keys service's alone — there is no field for it, and unknown
 * fields are dropped by the decoder.
 */
export const TokenToSign = Schema.Struct({
  kind: TokenKind,
  alg: SigningAlg,
  claims: Schema.Record(Schema.String, Schema.Unknown),
  /**
   * `id_token` only: index of an EARLIER `access_token` of the same batch;
   * the keys service adds its OIDC `at_hash` (OIDC Core §3.1.3.6, with this
   * request's alg) to these claims. How an ID token is bound to the access
   * token issued with it.
   */
  atHashOf: Schema.optional(Schema.Number)
})
/** Type of {@link TokenToSign}. */
export type TokenToSign = typeof TokenToSign.Type

/** The JWKS, for every caller that verifies what the keys service signed. */
export const KeysPublicContract = {
  /** The public JWKS: active keys and retired ones still inside their 30-day verification window. */
  getJwks: rpcMethod(Schema.Struct({}), Schema.Struct({ keys: Schema.Array(PublicJwk) }), KeysFailure)
} as const

/** Typed signing, for the tokens service only. */
export const KeysSigningContract = {
  /**
   * Signs a token response's tokens in ONE call, in order (issue 10: one keys
   * round trip per token response). Each claim set is checked against its
   * kind's rules (required claims, `iss` = this deployment's issuer, `exp`
   * after `iat` within the kind's maximum lifetime, no `nonce` in a logout
   * token); the first refused token fails the whole batch with
   * `SigningRefused` and nothing is signed.
   */
  signTokens: rpcMethod(
    Schema.Struct({ tokens: Schema.Array(TokenToSign) }),
    Schema.Struct({ signed: Schema.Array(Schema.Struct({ jwt: Schema.String, kid: Schema.String })) }),
    Schema.Union([Unavailable, SigningRefused])
  )
} as const

/** Key administration, bound only where the admin API lives (the edge's `KEYS_ADMIN`). */
export const KeysAdminContract = {
  /** Metadata of every key still published. */
  listKeys: rpcMethod(Schema.Struct({}), Schema.Struct({ keys: Schema.Array(KeyInfo) }), KeysFailure),
  /**
   * Rotates now if due (every 90 days) or when `force`; used by cron and admin. `actorId` (optional,
   * added for the admin API): the acting admin, recorded as `admin.action` (action `key.rotate`).
   */
  rotate: rpcMethod(Schema.Struct({ force: Schema.Boolean, actorId: Schema.optional(Schema.String) }), Schema.Struct({ keys: Schema.Array(KeyInfo) }), KeysFailure)
} as const
export const KeysPublicContractVersion = contractVersion(KeysPublicContract, { name: "keys_public", version: 1 })
export const KeysSigningContractVersion = contractVersion(KeysSigningContract, { name: "keys_signing", version: 2 })
export const KeysAdminContractVersion = contractVersion(KeysAdminContract, { name: "keys_admin", version: 1 })

/** RPC interface of {@link KeysPublicContract}. */
export type KeysPublicRpc = RpcInterface<typeof KeysPublicContract>
/** RPC interface of {@link KeysSigningContract}. */
export type KeysSigningRpc = RpcInterface<typeof KeysSigningContract>
/** RPC interface of {@link KeysAdminContract}. */
export type KeysAdminRpc = RpcInterface<typeof KeysAdminContract>
