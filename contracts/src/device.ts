/**
 * Device Authorization Grant (RFC 8628) contract, implemented by `TokensService`.
 *
 * The device asks for a pair of codes (`startDeviceAuthorization`), the user
 * enters the user code on the verification page (the edge `describe`s it and,
 * after sign-in and an explicit choice, `decide`s it), and the device polls
 * `pollDeviceCode` at the token endpoint until it gets tokens or a final
 * error. Both codes route to the same DeviceCodeStore shard without a lookup.
 *
 * User codes are 8 letters from `BCDFGHJKLMNPQRSTVWXZ` (RFC 8628 §6.1: no
 * vowels, no look-alikes), shown as `BCDF-GHJK`. Input is normalised: case,
 * dashes and spaces do not matter.
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { SigningAlg } from "./keys.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"
import { TokenSet } from "./tokens.ts"

/** Where a device authorization stands (RFC 8628 §3.3–3.5). */
export const DeviceCodeStatus = Schema.Literals(["pending", "approved", "denied"])
/** Type of {@link DeviceCodeStatus}. */
export type DeviceCodeStatus = typeof DeviceCodeStatus.Type

/** A fresh device authorization: the RFC 8628 §3.2 response fields before the edge adds URIs. */
export const DeviceAuthorization = Schema.Struct({
  deviceCode: Schema.String,
  /** Display form, `XXXX-XXXX`. */
  userCode: Schema.String,
  /** Seconds until both codes expire (900). */
  expiresIn: Schema.Number,
  /** Minimum seconds between polls (5). */
  interval: Schema.Number
})
/** Type of {@link DeviceAuthorization}. */
export type DeviceAuthorization = typeof DeviceAuthorization.Type

/** What the verification page shows for a live user code. */
export const DeviceRequest = Schema.Struct({
  clientId: Schema.String,
  scope: Schema.String,
  status: DeviceCodeStatus,
  /** The user code in display form. */
  userCode: Schema.String
})
/** Type of {@link DeviceRequest}. */
export type DeviceRequest = typeof DeviceRequest.Type

const DeviceFailure = Schema.Union([OAuthError, NotFound, Unavailable])

/** Method schemas of the device grant. */
export const DeviceContract = {
  /** Mints a device code and a user code (15 minutes, poll interval 5 s) for an authenticated client. */
  startDeviceAuthorization: rpcMethod(
    Schema.Struct({ clientId: Schema.String, scope: Schema.String }),
    DeviceAuthorization,
    DeviceFailure
  ),
  /** The pending request a user code names; `NotFound` when unknown, malformed or expired. */
  describeDeviceCode: rpcMethod(Schema.Struct({ userCode: Schema.String }), DeviceRequest, DeviceFailure),
  /**
   * The user's approval or denial. Atomic: only a pending code can be
   * decided, so of many concurrent decisions exactly one succeeds; the others
   * (and any later one) fail with `invalid_request`. `NotFound` when unknown or expired.
   * The authentication facts go into the ID token issued on approval.
   */
  decideDeviceCode: rpcMethod(
    Schema.Struct({
      userCode: Schema.String,
      decision: Schema.Literals(["approve", "deny"]),
      userId: Schema.String,
      authTime: Schema.Number,
      acr: Schema.NullOr(Schema.String),
      amr: Schema.Array(Schema.String),
      sid: Schema.NullOr(Schema.String),
      /** When the approving session expires (epoch ms); bounds an online refresh family. Absent: unknown. */
      sessionExpiresAt: Schema.optional(Schema.Number)
    }),
    Schema.Struct({ status: DeviceCodeStatus }),
    DeviceFailure
  ),
  /**
   * One poll of the device_code grant (RFC 8628 §3.4–3.5): tokens once (the
   * first poll after approval; later ones get `invalid_grant`), or
   * `authorization_pending`, `slow_down` (the interval grows by 5 s),
   * `access_denied`, `expired_token`.
   */
  pollDeviceCode: rpcMethod(
    Schema.Struct({
      issuer: Schema.String,
      issueRefreshToken: Schema.Boolean,
      /** As for the code grant (contracts/src/tokens.ts): online refresh families bound to the approving session. */
      onlineRefreshTokens: Schema.optional(Schema.Boolean),
      idTokenAlg: SigningAlg,
      deviceCode: Schema.String,
      clientId: Schema.String,
      /** RFC 9449: thumbprint of the poll's verified DPoP proof key; binds the access token (`cnf.jkt`, `token_type: DPoP`). */
      dpopJkt: Schema.optional(Schema.String),
      /** RFC 9449 §5: bind the new refresh family to `dpopJkt` too (the edge sets it for public clients). */
      bindRefreshToDpop: Schema.optional(Schema.Boolean),
      /** OIDC Core §8.1: the client's sector when its subject type is pairwise (contracts/src/pairwise_sector.ts); absent: public `sub`. */
      pairwiseSector: Schema.optional(Schema.String)
    }),
    TokenSet,
    DeviceFailure
  )
} as const
export const DeviceContractVersion = contractVersion(DeviceContract, { name: "device", version: 2 })

/** RPC interface of the device grant (on `TokensService`). */
export type DeviceRpc = RpcInterface<typeof DeviceContract>
