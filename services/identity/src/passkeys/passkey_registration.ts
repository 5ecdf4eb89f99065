/**
 * Passkey registration for a signed-in user (WebAuthn L3 §7.1): options with
 * the user's existing credentials excluded and a resident (discoverable) key
 * required, then attestation verification and storage. Attestation is `none`:
 * the provider trusts the user's choice of authenticator rather than a vendor
 * certificate chain (no metadata service to keep current).
 */
import { base64url } from "@authrim/platform"
import type { PasskeyRegistrationResponse } from "@authrim/contracts"
import { generateRegistrationOptions, verifyRegistrationResponse } from "@simplewebauthn/server"
import { Clock, Effect } from "effect"
import { createChallenge } from "../challenges/challenges.ts"
import { ceremonyOptions, CEREMONY_TIMEOUT_MS, rejected, SUPPORTED_ALGORITHMS, takeCeremonyChallenge, USER_VERIFICATION, verificationFailed } from "./passkey_ceremony.ts"
import { passkeyDisplayName } from "./passkey_name.ts"
import { relyingParty } from "./passkey_relying_party.ts"
import { insertPasskey, passkeyFromRow, passkeysOfUser, transportsOf } from "./passkey_table.ts"
import { findUserRow } from "../users/users.ts"

/**
 * The WebAuthn user handle of a user: the UTF-8 bytes of the user id (not
 * the email, which may change and must not reach the authenticator as an id).
 */
export const userHandleOf = (userId: string): Uint8Array<ArrayBuffer> => Uint8Array.from(new TextEncoder().encode(userId))

/** Registration options for `userId`, with the challenge stored on the user's shard. */
export const startPasskeyRegistration = Effect.fnUntraced(function*(input: { readonly userId: string }) {
  const rp = yield* relyingParty
  const user = yield* findUserRow(input.userId)
  const existing = yield* passkeysOfUser(user.id)
  const options = yield* ceremonyOptions(() =>
    generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.id,
      userName: user.email,
      userID: userHandleOf(user.id),
      userDisplayName: user.name ?? user.email,
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: "none",
      excludeCredentials: existing.map((row) => ({ id: row.credential_id, transports: transportsOf(row) })),
      authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: USER_VERIFICATION },
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS
    })
  )
  const challenge = yield* createChallenge({ type: "passkey_registration", userId: user.id, metadata: { challenge: options.challenge } })
  return { challengeId: challenge.id, options: { ...options } }
})

/** Verifies the attestation for the user the challenge was issued to and stores the new credential. */
export const finishPasskeyRegistration = Effect.fnUntraced(function*(input: {
  readonly userId: string
  readonly challengeId: string
  readonly response: PasskeyRegistrationResponse
  readonly name: string | null
}) {
  const rp = yield* relyingParty
  const { expectedChallenge, userId } = yield* takeCeremonyChallenge(input.challengeId, "passkey_registration")
  if (userId !== input.userId) return yield* rejected("challenge", "this passkey request was started by another account")
  const { response } = input
  const verification = yield* Effect.tryPromise({
    try: () =>
      verifyRegistrationResponse({
        response: {
          id: response.id,
          rawId: response.rawId,
          type: response.type,
          response: {
            clientDataJSON: response.response.clientDataJSON,
            attestationObject: response.response.attestationObject,
            ...(response.response.transports === undefined ? {} : { transports: [...response.response.transports] })
          },
          clientExtensionResults: {}
        },
        expectedChallenge,
        expectedOrigin: [...rp.origins],
        expectedRPID: rp.id,
        requireUserVerification: true,
        supportedAlgorithmIDs: SUPPORTED_ALGORITHMS
      }),
    catch: verificationFailed
  })
  if (!verification.verified) return yield* verificationFailed("not verified")
  const { credential } = verification.registrationInfo
  const now = yield* Clock.currentTimeMillis
  const transports = response.response.transports ?? credential.transports ?? []
  const stored = yield* insertPasskey({
    credential_id: credential.id,
    user_id: input.userId,
    public_key: base64url(credential.publicKey),
    counter: credential.counter,
    transports: JSON.stringify(transports.filter((t) => typeof t === "string")),
    name: input.name === null ? null : passkeyDisplayName(input.name),
    created_at: now,
    last_used_at: null
  })
  if (stored === null) return yield* rejected("already_registered", "this passkey is already registered")
  return passkeyFromRow(stored)
})
