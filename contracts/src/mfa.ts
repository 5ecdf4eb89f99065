/**
 * Second-factor contract (TOTP, RFC 6238, with recovery codes), implemented by
 * the `IdentityService` entrypoint of `services/identity` next to
 * `IdentityContract`. A TOTP secret leaves the identity service exactly once:
 * in the answer of `beginTotpEnrolment`, so the user can scan it. Recovery
 * codes leave it exactly once: in the answer of `confirmTotpEnrolment`.
 *
 * Every code check is single use and atomic: a TOTP time step accepted for a
 * user is never accepted again (nor any older step), a recovery code is spent
 * by the one caller that wins the conditional write.
 */
import { Schema } from "effect"
import { InvalidCredentials, NotFound, OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** What a user has set up as a second factor. */
export const MfaStatus = Schema.Struct({
  /** TOTP is confirmed and required at sign-in. */
  totpEnabled: Schema.Boolean,
  /** An enrolment was started and waits for its first valid code. */
  totpPending: Schema.Boolean,
  /** Unused recovery codes left (0 when TOTP is off). */
  recoveryCodesLeft: Schema.Number
})
/** Type of {@link MfaStatus}. */
export type MfaStatus = typeof MfaStatus.Type

/** A started enrolment: the secret to put into an authenticator app. */
export const TotpEnrolment = Schema.Struct({
  /** RFC 4648 base32 (no padding) of the 160-bit secret. */
  secret: Schema.String,
  /** `otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30` (the QR-code payload). */
  otpauthUri: Schema.String
})
/** Type of {@link TotpEnrolment}. */
export type TotpEnrolment = typeof TotpEnrolment.Type

/** Which kind of code a successful check used. Both are one-time passwords in the sense of RFC 8176 `otp`. */
export const SecondFactorKind = Schema.Literals(["totp", "recovery_code"])
/** Type of {@link SecondFactorKind}. */
export type SecondFactorKind = typeof SecondFactorKind.Type

const MfaFailure = Schema.Union([NotFound, Unavailable, OAuthError])
const CodeFailure = Schema.Union([InvalidCredentials, NotFound, Unavailable, OAuthError])

/** Method schemas of the second-factor part of the identity service. */
export const MfaContract = {
  /** The user's second-factor status (one D1 read; every sign-in asks it). */
  getMfaStatus: rpcMethod(Schema.Struct({ userId: Schema.String }), MfaStatus, MfaFailure),
  /**
   * Starts (or restarts) a TOTP enrolment with a fresh secret; the otpauth URI
   * names `issuer` and the user's email. `invalid_request` when TOTP is
   * already enabled (disable it first).
   */
  beginTotpEnrolment: rpcMethod(
    Schema.Struct({
      userId: Schema.String,
      issuer: Schema.String,
      /**
       * Issue 12 (additive; the local seed's `totp_secret` only — the edge never sends it): this RFC 4648
       * base32 secret (at least 128 bits) instead of a random one. `invalid_request` when it is not one.
       */
      secret: Schema.optional(Schema.String)
    }),
    TotpEnrolment,
    MfaFailure
  ),
  /**
   * Confirms the pending enrolment with a first valid code (its time step is
   * then spent) and returns ten fresh recovery codes — the only time they are
   * ever returned. `InvalidCredentials` for a wrong code, `NotFound` when no
   * enrolment is pending.
   */
  confirmTotpEnrolment: rpcMethod(
    Schema.Struct({ userId: Schema.String, code: Schema.String }),
    Schema.Struct({ recoveryCodes: Schema.Array(Schema.String) }),
    CodeFailure
  ),
  /**
   * Checks a second factor: a 6-digit TOTP code (±1 step of 30 s) or a
   * recovery code, and spends it. Exactly one of any number of concurrent
   * checks of the same code succeeds. `InvalidCredentials` for a wrong,
   * replayed or expired code, or when the user has no TOTP.
   */
  verifySecondFactor: rpcMethod(
    Schema.Struct({ userId: Schema.String, code: Schema.String }),
    Schema.Struct({ kind: SecondFactorKind, recoveryCodesLeft: Schema.Number }),
    CodeFailure
  ),
  /** Turns TOTP off (secret and recovery codes deleted); needs a valid TOTP or recovery code, spent like a sign-in. */
  disableTotp: rpcMethod(Schema.Struct({ userId: Schema.String, code: Schema.String }), Schema.Struct({}), CodeFailure),
  /**
   * Replaces the user's recovery codes with ten fresh ones (every old code,
   * used or not, stops working) and returns them — the only time they are
   * returned. `NotFound` when TOTP is not on. The caller requires a recent
   * authentication (step-up) first.
   */
  regenerateRecoveryCodes: rpcMethod(
    Schema.Struct({ userId: Schema.String }),
    Schema.Struct({ recoveryCodes: Schema.Array(Schema.String) }),
    MfaFailure
  )
} as const
export const MfaContractVersion = contractVersion(MfaContract, { name: "mfa", version: 1 })

/** RPC interface of the second-factor methods of `IdentityService`. */
export type MfaRpc = RpcInterface<typeof MfaContract>
