/**
 * The backends answer refusals in English (their descriptions also go into
 * logs and OAuth JSON, which stay English). A page shows them in its own
 * language: each function here maps a backend reason (a typed code where the
 * contract has one, else the description's known wording) to a catalogue key.
 * A description nobody mapped yet is shown as it came — never a blank line.
 */
import type { PasskeyRejectionReason } from "@authrim/contracts"
import type { Locale } from "./locale.ts"
import type { MessageKey } from "./messages_en.ts"
import { t } from "./translate.ts"

/** Identity's password policy refusal (`Choose a password of at least N characters.` / `at most N`). */
export const passwordPolicyText = (locale: Locale, description: string): string => {
  const shortest = /at least (\d+) characters/.exec(description)
  if (shortest !== null) return t(locale, "password.error.tooShort", { min: shortest[1] ?? "" })
  const longest = /at most (\d+) characters/.exec(description)
  if (longest !== null) return t(locale, "password.error.tooLong", { max: longest[1] ?? "" })
  return description
}

const passkeyReasonKeys = {
  challenge: "passkeys.rejected.challenge",
  unknown_credential: "passkeys.rejected.unknownCredential",
  verification_failed: "passkeys.rejected.verificationFailed",
  counter_rollback: "passkeys.rejected.counterRollback",
  already_registered: "passkeys.rejected.alreadyRegistered"
} as const satisfies Record<PasskeyRejectionReason, MessageKey>

/**
 * A rejected passkey ceremony, by its typed reason. A counter that went
 * backwards (a cloned authenticator) is told apart from two sign-ins racing
 * by the description's numbers, which the page keeps.
 */
export const passkeyRejectedText = (locale: Locale, rejected: { readonly reason: PasskeyRejectionReason; readonly description: string }): string => {
  const cloned = /counter went from (\d+) to (\d+)/.exec(rejected.description)
  if (rejected.reason === "counter_rollback" && cloned !== null) return t(locale, "passkeys.rejected.cloned", { from: cloned[1] ?? "", to: cloned[2] ?? "" })
  return t(locale, passkeyReasonKeys[rejected.reason])
}

/** Identity's refusal of an email change request. */
export const emailChangeRefusalText = (locale: Locale, description: string): string =>
  /valid email address/.test(description) ? t(locale, "accountEmail.error.invalidAddress")
  : /already your email address/.test(description) ? t(locale, "accountEmail.error.sameAddress")
  : description

/** Identity's refusal of a password sign-in that verified: the method is off, or a second factor is required. */
export const signInRefusalText = (locale: Locale, description: string): string =>
  /^Password sign-in is turned off/.test(description) ? t(locale, "login.error.passwordOff")
  : /^Passkey sign-in is turned off/.test(description) ? t(locale, "login.error.passkeyOff")
  : /^Two-step verification is required/.test(description) ? t(locale, "login.error.secondFactorRequired")
  : description
