/**
 * Passkeys (WebAuthn Level 3) contract, implemented by `IdentityService`.
 *
 * Ceremonies are two calls each: `start…` stores a ChallengeStore challenge
 * (types `passkey_registration` / `passkey_authentication`, 15 minutes) and
 * returns the options JSON for `navigator.credentials.create/get`; `finish…`
 * consumes that challenge atomically BEFORE verifying, so a challenge is
 * spent by its first use whatever the outcome: a replay, or the losers of a
 * race, get `PasskeyRejected("challenge")`.
 *
 * The relying party (id, name, allowed origins) is the identity service's
 * configuration, never the caller's: the edge cannot widen it.
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** Why a passkey ceremony was refused; the edge shows `description` to the user. */
export const PasskeyRejectionReason = Schema.Literals([
  /** Unknown, expired, already used, or issued for another user. */
  "challenge",
  /** The credential is not registered here (or not to the user who asked). */
  "unknown_credential",
  /** Signature, origin, RP id, user presence/verification or encoding did not verify. */
  "verification_failed",
  /** The signature counter did not increase: a cloned or rolled-back authenticator. */
  "counter_rollback",
  /** Registration of a credential id that is already registered. */
  "already_registered"
])
/** Type of {@link PasskeyRejectionReason}. */
export type PasskeyRejectionReason = typeof PasskeyRejectionReason.Type

/** A WebAuthn ceremony that did not succeed (a domain outcome, not a fault). */
export class PasskeyRejected extends Schema.TaggedError<PasskeyRejected>()("PasskeyRejected", {
  reason: PasskeyRejectionReason,
  description: Schema.String
}) {}

/** A registered passkey as the account page shows it (never the public key). */
export const Passkey = Schema.Struct({
  /** base64url credential id. */
  credentialId: Schema.String,
  userId: Schema.String,
  /** The user's label; null until renamed. */
  name: Schema.NullOr(Schema.String),
  transports: Schema.Array(Schema.String),
  createdAt: Schema.Number,
  lastUsedAt: Schema.NullOr(Schema.Number)
})
/** Type of {@link Passkey}. */
export type Passkey = typeof Passkey.Type

/** `RegistrationResponseJSON` (WebAuthn L3 §5.1) as the browser's `credential.toJSON()` gives it. */
export const PasskeyRegistrationResponse = Schema.Struct({
  id: Schema.String,
  rawId: Schema.String,
  type: Schema.Literal("public-key"),
  response: Schema.Struct({
    clientDataJSON: Schema.String,
    attestationObject: Schema.String,
    transports: Schema.optional(Schema.Array(Schema.String))
  }),
  authenticatorAttachment: Schema.optional(Schema.NullOr(Schema.Literals(["platform", "cross-platform"])))
})
/** Type of {@link PasskeyRegistrationResponse}. */
export type PasskeyRegistrationResponse = typeof PasskeyRegistrationResponse.Type

/** `AuthenticationResponseJSON` (WebAuthn L3 §5.1). */
export const PasskeyAuthenticationResponse = Schema.Struct({
  id: Schema.String,
  rawId: Schema.String,
  type: Schema.Literal("public-key"),
  response: Schema.Struct({
    clientDataJSON: Schema.String,
    authenticatorData: Schema.String,
    signature: Schema.String,
    userHandle: Schema.optional(Schema.NullOr(Schema.String))
  }),
  authenticatorAttachment: Schema.optional(Schema.NullOr(Schema.Literals(["platform", "cross-platform"])))
})
/** Type of {@link PasskeyAuthenticationResponse}. */
export type PasskeyAuthenticationResponse = typeof PasskeyAuthenticationResponse.Type

/** A started ceremony: the challenge id to send back, and the options JSON for the browser. */
export const PasskeyCeremony = Schema.Struct({
  challengeId: Schema.String,
  options: Schema.Record(Schema.String, Schema.Unknown)
})
/** Type of {@link PasskeyCeremony}. */
export type PasskeyCeremony = typeof PasskeyCeremony.Type

/** A verified assertion: who signed in, with what kind of passkey (for `amr`/`acr`). */
export const PasskeySignIn = Schema.Struct({
  userId: Schema.String,
  credentialId: Schema.String,
  /** The authenticator verified the user (PIN/biometric); always true while UV is required. */
  userVerified: Schema.Boolean,
  /** Synced (multi-device, backed up) passkey rather than one bound to a single authenticator. */
  backedUp: Schema.Boolean
})
/** Type of {@link PasskeySignIn}. */
export type PasskeySignIn = typeof PasskeySignIn.Type

const PasskeyFailure = Schema.Union([PasskeyRejected, NotFound, Unavailable, OAuthError])

/** Method schemas of the passkey part of the identity service. */
export const PasskeysContract = {
  /** Registration options for a signed-in user (excludes the user's existing credentials). `NotFound` for an unknown user. */
  startPasskeyRegistration: rpcMethod(Schema.Struct({ userId: Schema.String }), PasskeyCeremony, PasskeyFailure),
  /** Consumes the challenge, verifies the attestation (fmt none/packed/…), stores the credential. */
  finishPasskeyRegistration: rpcMethod(
    Schema.Struct({
      userId: Schema.String,
      challengeId: Schema.String,
      response: PasskeyRegistrationResponse,
      name: Schema.NullOr(Schema.String)
    }),
    Passkey,
    PasskeyFailure
  ),
  /**
   * Authentication options. `email` null: discoverable credential (empty
   * allowCredentials, the user is found from the credential). With an email:
   * that user's credentials; an unknown email gets the same answer as the
   * discoverable case, so this call does not reveal who has an account.
   */
  startPasskeyAuthentication: rpcMethod(Schema.Struct({ email: Schema.NullOr(Schema.String) }), PasskeyCeremony, PasskeyFailure),
  /** Consumes the challenge, verifies the assertion and the signature counter, records the new counter. */
  finishPasskeyAuthentication: rpcMethod(
    Schema.Struct({ challengeId: Schema.String, response: PasskeyAuthenticationResponse }),
    PasskeySignIn,
    PasskeyFailure
  ),
  /** The user's passkeys, oldest first. */
  listPasskeys: rpcMethod(Schema.Struct({ userId: Schema.String }), Schema.Struct({ passkeys: Schema.Array(Passkey) }), PasskeyFailure),
  /** Renames one of the user's passkeys (1–64 characters after trimming); `NotFound` if it is not theirs. */
  renamePasskey: rpcMethod(
    Schema.Struct({ userId: Schema.String, credentialId: Schema.String, name: Schema.String }),
    Passkey,
    PasskeyFailure
  ),
  /** Removes one of the user's passkeys; `NotFound` if it is not theirs. */
  removePasskey: rpcMethod(
    Schema.Struct({ userId: Schema.String, credentialId: Schema.String }),
    Schema.Struct({ removed: Schema.Boolean }),
    PasskeyFailure
  )
} as const
export const PasskeysContractVersion = contractVersion(PasskeysContract, { name: "passkeys", version: 1 })

/** RPC interface of the passkey methods of `IdentityService`. */
export type PasskeysRpc = RpcInterface<typeof PasskeysContract>
