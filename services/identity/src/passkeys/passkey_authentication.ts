/**
 * Passkey sign-in (WebAuthn L3 §7.2), two ways:
 * - discoverable: no email, empty `allowCredentials`; the authenticator
 *   offers its resident credentials and the user is the credential's owner
 *   (cross-checked with the returned `userHandle`);
 * - email-first: the challenge is bound to the user when the email names one
 *   with passkeys, so only their credentials are accepted. The answer is the
 *   SAME as the discoverable one (empty `allowCredentials`) for every email,
 *   known or not, with or without passkeys, and costs the same one D1 query:
 *   the options never tell whether an account exists (issue 9 §4). Every
 *   passkey is registered as a discoverable credential (`residentKey:
 *   "required"`, passkey_registration.ts), so the authenticator finds it
 *   without a list.
 *
 * The signature counter (§6.1.1) must grow whenever either side is non-zero;
 * otherwise the authenticator was cloned or rolled back and the sign-in is
 * refused. The new counter is written by compare-and-set, so two assertions
 * racing with one credential cannot both count as "the next one".
 */
import { fromBase64url } from "@authrim/platform"
import { tryD1, Unavailable, type PasskeyAuthenticationResponse } from "@authrim/contracts"
import { generateAuthenticationOptions, verifyAuthenticationResponse } from "@simplewebauthn/server"
import { Clock, Effect } from "effect"
import { requireSignInMethod } from "../settings/system_settings.ts"
import { createChallenge } from "../challenges/challenges.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { auditSignInFailure, auditSignInSucceeded } from "../identity_audit.ts"
import { ceremonyOptions, CEREMONY_TIMEOUT_MS, rejected, takeCeremonyChallenge, USER_VERIFICATION, verificationFailed } from "./passkey_ceremony.ts"
import { relyingParty } from "./passkey_relying_party.ts"
import { passkeyById, recordPasskeyUse, transportsOf } from "./passkey_table.ts"
import { accountDisabled, refuseDisabledUser } from "../users/user_disabled.ts"

/** The id of the user `email` names when that user has at least one passkey, else null: one query either way. */
const passkeyUserByEmail = Effect.fnUntraced(function*(email: string) {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "users.passkeyUserByEmail", () =>
    db.prepare("SELECT u.id FROM users u WHERE u.email = ? COLLATE NOCASE AND EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id)")
      .bind(email.trim()).first<{ id: string }>())
  return row?.id ?? null
})

/** Authentication options (the same shape for every email); the challenge is bound to the user when the email names one with passkeys. */
export const startPasskeyAuthentication = Effect.fnUntraced(function*(input: { readonly email: string | null }) {
  yield* requireSignInMethod("passkey")
  const rp = yield* relyingParty
  const boundTo = input.email === null ? null : yield* passkeyUserByEmail(input.email)
  const options = yield* ceremonyOptions(() =>
    generateAuthenticationOptions({
      rpID: rp.id,
      allowCredentials: [],
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification: USER_VERIFICATION
    })
  )
  const challenge = yield* createChallenge({ type: "passkey_authentication", userId: boundTo, metadata: { challenge: options.challenge } })
  return { challengeId: challenge.id, options: { ...options } }
})

const unknownCredential = () => rejected("unknown_credential", "this passkey is not registered for this account")

/** The stored credential the assertion names, checked against the challenge's user and the `userHandle`. */
const credentialFor = Effect.fnUntraced(function*(response: PasskeyAuthenticationResponse, boundUserId: string | null) {
  const row = yield* passkeyById(response.id)
  if (row === null) return yield* unknownCredential()
  if (boundUserId !== null && row.user_id !== boundUserId) return yield* unknownCredential()
  const handle = response.response.userHandle
  if (handle !== undefined && handle !== null) {
    const bytes = fromBase64url(handle)
    if (bytes === null || new TextDecoder().decode(bytes) !== row.user_id) return yield* unknownCredential()
  }
  return row
})

/** Verifies an assertion and moves the credential's counter; the signed-in user on success. */
const verifyPasskeyAssertion = Effect.fnUntraced(function*(input: {
  readonly challengeId: string
  readonly response: PasskeyAuthenticationResponse
}) {
  const rp = yield* relyingParty
  const { expectedChallenge, userId } = yield* takeCeremonyChallenge(input.challengeId, "passkey_authentication")
  const { response } = input
  const row = yield* credentialFor(response, userId)
  const publicKey = fromBase64url(row.public_key)
  if (publicKey === null) return yield* new Unavailable({ service: serviceName, reason: `stored passkey ${row.credential_id} has a malformed key` })
  const handle = response.response.userHandle
  const verification = yield* Effect.tryPromise({
    try: () =>
      verifyAuthenticationResponse({
        response: {
          id: response.id,
          rawId: response.rawId,
          type: response.type,
          response: {
            clientDataJSON: response.response.clientDataJSON,
            authenticatorData: response.response.authenticatorData,
            signature: response.response.signature,
            ...(handle === undefined || handle === null ? {} : { userHandle: handle })
          },
          clientExtensionResults: {}
        },
        expectedChallenge,
        expectedOrigin: [...rp.origins],
        expectedRPID: rp.id,
        // Counter 0 switches the library's own counter check off: the rule is applied
        // below, where it gets its own error and a compare-and-set write.
        credential: { id: row.credential_id, publicKey: new Uint8Array(publicKey), counter: 0, transports: transportsOf(row) },
        requireUserVerification: true
      }),
    catch: verificationFailed
  })
  if (!verification.verified) return yield* verificationFailed("not verified")
  const info = verification.authenticationInfo
  const rolledBack = (info.newCounter > 0 || row.counter > 0) && info.newCounter <= row.counter
  if (rolledBack) {
    return yield* rejected(
      "counter_rollback",
      `this passkey's signature counter went from ${row.counter} to ${info.newCounter}: the authenticator may have been cloned`
    )
  }
  // Issue 12: a disabled account is refused once the assertion proved who this is (before the counter moves).
  yield* refuseDisabledUser(row.user_id, accountDisabled)
  const now = yield* Clock.currentTimeMillis
  const recorded = yield* recordPasskeyUse(row.credential_id, row.counter, info.newCounter, now)
  if (!recorded) return yield* rejected("counter_rollback", "this passkey was used for another sign-in at the same moment; try again")
  return { userId: row.user_id, credentialId: row.credential_id, userVerified: info.userVerified, backedUp: info.credentialBackedUp }
})

/**
 * A passkey sign-in, audited: `sign_in.succeeded` (amr as the edge will set
 * it: `hwk`/`swk`, `user`, `mfa` when the user was verified) or
 * `sign_in.failed` with the rejection reason.
 */
export const finishPasskeyAuthentication = (input: { readonly challengeId: string; readonly response: PasskeyAuthenticationResponse }) =>
  verifyPasskeyAssertion(input).pipe(
    Effect.tap((signIn) =>
      auditSignInSucceeded({
        method: "passkey",
        userId: signIn.userId,
        amr: [signIn.backedUp ? "swk" : "hwk", "user", ...(signIn.userVerified ? ["mfa"] : [])],
        details: { passkey_id: signIn.credentialId }
      })),
    Effect.tapError(auditSignInFailure("passkey"))
  )
