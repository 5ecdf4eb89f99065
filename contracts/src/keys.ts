/**
 * Keys service contract (`KeysService` entrypoint of `services/keys`).
 * Signs on request; private keys never leave the service, so no method here
 * returns private key material.
 */
import { Schema } from "effect"
import { Unavailable, OAuthError } from "./errors.ts"
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

/** One JWS to sign in a {@link KeysContract.signMany} batch. */
export const SignRequest = Schema.Struct({
  alg: SigningAlg,
  typ: Schema.optional(Schema.String),
  payload: Schema.Record(Schema.String, Schema.Unknown),
  /**
   * Index of an EARLIER request of the same batch: its signed JWT's OIDC
   * `at_hash` (OIDC Core §3.1.3.6, with this request's alg) is added to this
   * payload. How an ID token is bound to the access token signed with it.
   */
  atHashOf: Schema.optional(Schema.Number)
})
/** Type of {@link SignRequest}. */
export type SignRequest = typeof SignRequest.Type

/** Method schemas of the keys service. */
export const KeysContract = {
  /** The public JWKS: active keys and retired ones still inside their 30-day verification window. */
  getJwks: rpcMethod(Schema.Struct({}), Schema.Struct({ keys: Schema.Array(PublicJwk) }), KeysFailure),
  /** Signs `payload` as a compact JWS with the active key of `alg`; `typ` goes in the header. */
  sign: rpcMethod(
    Schema.Struct({ alg: SigningAlg, typ: Schema.optional(Schema.String), payload: Schema.Record(Schema.String, Schema.Unknown) }),
    Schema.Struct({ jwt: Schema.String, kid: Schema.String }),
    KeysFailure
  ),
  /**
   * Signs several compact JWS in ONE call, in order (issue 10: a token response
   * is one keys round trip, not one per token). Added after `sign`; callers
   * fall back to `sign` when the keys service does not have it yet.
   */
  signMany: rpcMethod(
    Schema.Struct({ requests: Schema.Array(SignRequest) }),
    Schema.Struct({ signed: Schema.Array(Schema.Struct({ jwt: Schema.String, kid: Schema.String })) }),
    KeysFailure
  ),
  /** Metadata of every key still published. */
  listKeys: rpcMethod(Schema.Struct({}), Schema.Struct({ keys: Schema.Array(KeyInfo) }), KeysFailure),
  /**
   * Rotates now if due (every 90 days) or when `force`; used by cron and admin. `actorId` (optional,
   * added for the admin API): the acting admin, recorded as `admin.action` (action `key.rotate`).
   */
  rotate: rpcMethod(Schema.Struct({ force: Schema.Boolean, actorId: Schema.optional(Schema.String) }), Schema.Struct({ keys: Schema.Array(KeyInfo) }), KeysFailure)
} as const
export const KeysContractVersion = contractVersion(KeysContract, { name: "keys", version: 1 })

/** RPC interface of `KeysService`. */
export type KeysRpc = RpcInterface<typeof KeysContract>
