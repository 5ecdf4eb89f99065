/**
 * What registration and authentication share: the ceremony policy (timeout,
 * algorithms, user verification), the challenge step (atomic consume first,
 * then verify) and the typed refusal.
 */
import { PasskeyRejected, Unavailable, type ChallengeType, type PasskeyRejectionReason } from "@authrim/contracts"
import { Effect } from "effect"
import { consumeChallenge } from "../challenges/challenges.ts"
import { serviceName } from "../identity_bindings.ts"

/** How long the browser may wait for the authenticator (WebAuthn `timeout`); the challenge itself lives 15 minutes. */
export const CEREMONY_TIMEOUT_MS = 5 * 60 * 1000

/**
 * COSE algorithms accepted: EdDSA (-8), ES256 (-7), RS256 (-257) — what
 * platform authenticators and security keys produce. Offered at registration
 * and enforced at verification alike.
 */
export const SUPPORTED_ALGORITHMS = [-8, -7, -257]

/**
 * User verification (PIN, biometric) is required, not merely preferred: a
 * passkey then stands in for a password and a second factor at once, which is
 * what the `amr`/`acr` of a passkey sign-in claim.
 */
export const USER_VERIFICATION = "required" as const

/** A refused ceremony. */
export const rejected = (reason: PasskeyRejectionReason, description: string) => new PasskeyRejected({ reason, description })

const challengeGone = () =>
  rejected("challenge", "this passkey request has expired or was already used; start again")

/**
 * Takes the ceremony's challenge (single use, before any verification, so a
 * replay or the losers of a race fail here) and returns its WebAuthn
 * challenge string and the user it was issued for.
 */
export const takeCeremonyChallenge = Effect.fnUntraced(function*(id: string, type: ChallengeType) {
  const challenge = yield* consumeChallenge({ id, type }).pipe(Effect.catchTag("NotFound", () => Effect.fail(challengeGone())))
  const expected = challenge.metadata["challenge"]
  if (typeof expected !== "string") return yield* challengeGone()
  return { expectedChallenge: expected, userId: challenge.userId }
})

/** The message of whatever the WebAuthn library threw, for the user-facing description. */
export const verificationFailed = (cause: unknown) =>
  rejected("verification_failed", `the passkey response did not verify: ${cause instanceof Error ? cause.message : String(cause)}`)

/** Ceremony options from the WebAuthn library; a refusal there (our relying-party settings, not the user) is `Unavailable`. */
export const ceremonyOptions = <A>(make: () => Promise<A>): Effect.Effect<A, Unavailable> =>
  Effect.tryPromise({
    try: make,
    catch: (cause) => new Unavailable({ service: serviceName, reason: `WebAuthn options: ${cause instanceof Error ? cause.message : String(cause)}` })
  })
