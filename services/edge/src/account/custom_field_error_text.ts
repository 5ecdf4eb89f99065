/**
 * Identity refuses a custom value as `UserAdminInvalidInput` with field
 * `values.<name>` and an English reason (services/identity/src/custom_fields/).
 * The profile page shows it in its own language: the reason maps here to a
 * catalogue key (an unknown reason still gets a generic translated line).
 */
import type { MessageKey } from "../i18n/messages_en.ts"
import type { MessageParams } from "../i18n/translate.ts"

/** The refused custom field (its name, without `values.`) and the text to show. */
export interface CustomFieldError {
  readonly name: string
  readonly key: MessageKey
  readonly params: MessageParams
}

const reasons: ReadonlyArray<readonly [RegExp, MessageKey]> = [
  [/^must not contain control characters/, "customFields.error.control"],
  [/^does not have the expected format/, "customFields.error.format"],
  [/^must be a number/, "customFields.error.number"],
  [/^must be true or false/, "customFields.error.boolean"],
  [/^must be a real date/, "customFields.error.date"],
  [/^must be one of/, "customFields.error.choice"],
  [/^is required/, "customFields.error.required"],
  [/^cannot be changed by the user/, "customFields.error.notEditable"],
  [/^is not a defined custom field/, "customFields.error.unknown"]
]

/** The field and text of a refusal (`field` = `values.<name>`), or null when it names no custom field. */
export const customFieldErrorOf = (field: string, reason: string): CustomFieldError | null => {
  if (!field.startsWith("values.")) return null
  const name = field.slice("values.".length)
  const tooLong = /^must be at most (\d+) characters/.exec(reason)
  if (tooLong !== null) return { name, key: "customFields.error.tooLong", params: { max: tooLong[1] ?? "" } }
  const bound = /^must be at (least|most) (-?[\d.e+]+)$/.exec(reason)
  if (bound !== null) return { name, key: bound[1] === "least" ? "customFields.error.min" : "customFields.error.max", params: { [bound[1] === "least" ? "min" : "max"]: bound[2] ?? "" } }
  const known = reasons.find(([pattern]) => pattern.test(reason))
  return { name, key: known?.[1] ?? "profile.error.invalid", params: {} }
}
