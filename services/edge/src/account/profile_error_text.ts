/**
 * Identity refuses a profile value as `invalid_request` with the description
 * `<field> <reason>` in English (services/identity/src/users/profile_claim_formats.ts).
 * The pages show it in their own language: the reason is mapped here to a
 * catalogue key, so the backend stays language-free and an unknown reason
 * still gets a generic translated line next to the right field.
 */
import type { MessageKey } from "../i18n/messages_en.ts"
import type { MessageParams } from "../i18n/translate.ts"

/** The refused field, and the text to show next to it. */
export interface ProfileError {
  readonly field: string
  readonly key: MessageKey
  readonly params: MessageParams
}

const reasons: ReadonlyArray<readonly [RegExp, MessageKey]> = [
  [/^must not contain control characters/, "profile.error.control"],
  [/^must be an absolute https URL/, "profile.error.url"],
  [/^must not carry credentials/, "profile.error.urlCredentials"],
  [/^must not have a fragment/, "profile.error.urlFragment"],
  [/^must be (YYYY or YYYY-MM-DD|a real date)/, "profile.error.birthdate"],
  [/^must be an IANA time zone/, "profile.error.zoneinfo"],
  [/^must be (one )?(a )?BCP 47 language tag/, "profile.error.locale"],
  [/^must be an E\.164 number/, "profile.error.phone"]
]

/** The field and text of a refusal description, or null when it names no field (`<field> <reason>`). */
export const profileErrorOf = (description: string): ProfileError | null => {
  const match = /^([a-z_]+(?:\.[a-z_]+)?) (.+)$/.exec(description)
  if (match === null) return null
  const [, field = "", reason = ""] = match
  const tooLong = /^must be at most (\d+) characters/.exec(reason)
  if (tooLong !== null) return { field, key: "profile.error.tooLong", params: { max: tooLong[1] ?? "" } }
  const known = reasons.find(([pattern]) => pattern.test(reason))
  return { field, key: known?.[1] ?? "profile.error.invalid", params: {} }
}
