/**
 * Custom fields on `/account/profile` (issue 12 §4): which ones the user may
 * edit (definitions with `userEditable`), their current values as form text,
 * and the values a submitted form asks for (`custom.<field>`; empty clears).
 * Identity checks each value against its definition and refuses a field the
 * user may not edit, whatever the form says.
 */
import { Unavailable, type AlreadyExists, type CustomFieldValue, type UserAdminInvalidInput, type VersionMismatch } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { Params } from "../http/request_params.ts"
import { customFieldFormName, type CustomFieldsSectionModel } from "../pages/account_custom_fields_section.ts"

const PREFIX = "custom."

/**
 * The custom-field contract's refusals that a page cannot meet on these calls (a version or a taken name —
 * only admin writes answer them — or a field error outside a form submission) as the generic backend failure.
 */
export const withoutAdminRefusals = <E extends { readonly _tag: string }>(failure: E): Exclude<E, AdminRefusal> | Unavailable =>
  adminRefusalTags.has(failure._tag)
    ? new Unavailable({ service: "identity", reason: `custom fields: unexpected ${failure._tag}` })
    // The tag check above is exactly the exclusion; TypeScript cannot narrow a generic union by a Set lookup.
    : failure as Exclude<E, AdminRefusal>

type AdminRefusal = AlreadyExists | VersionMismatch | UserAdminInvalidInput
const adminRefusalTags: ReadonlySet<string> = new Set(["AlreadyExists", "VersionMismatch", "UserAdminInvalidInput"])

/** The text a form shows for a stored value. */
const formText = (value: CustomFieldValue): string => (typeof value === "string" ? value : String(value))

/** The editable definitions; `values` the user's stored values, or the submitted text when re-showing a refused form. */
export const editableCustomFields = Effect.fnUntraced(function*(userId: string, submitted: Params | null) {
  const { backends } = yield* Edge
  const { definitions } = yield* backends.customFields.listCustomFieldDefinitions({}).pipe(Effect.mapError(withoutAdminRefusals))
  const editable = definitions.filter((definition) => definition.userEditable)
  if (editable.length === 0) return { definitions: [], values: {} } satisfies CustomFieldsSectionModel
  const values: Record<string, string> = {}
  if (submitted === null) {
    const stored = yield* backends.customFields.getUserCustomFields({ userId }).pipe(Effect.mapError(withoutAdminRefusals))
    for (const [name, value] of Object.entries(stored.values)) values[customFieldFormName(name)] = formText(value)
  } else {
    for (const definition of editable) values[customFieldFormName(definition.name)] = submitted.get(customFieldFormName(definition.name)) ?? ""
  }
  return { definitions: editable, values } satisfies CustomFieldsSectionModel
})

/** The values a form asks for: every `custom.<field>` present, trimmed, empty → null (cleared). */
export const customValuesFromForm = (form: Iterable<readonly [string, string]>): Record<string, string | null> => {
  const values: Record<string, string | null> = {}
  for (const [key, value] of form) {
    if (key.startsWith(PREFIX)) values[key.slice(PREFIX.length)] = value.trim() === "" ? null : value.trim()
  }
  return values
}
