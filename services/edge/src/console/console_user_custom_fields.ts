/**
 * A user's custom field values on their console page (console-schema): one form over
 * `PATCH /users/{userId}/custom-fields` (`updateUserCustomFields`), a control per
 * definition by its type (text, number, yes/no, date, choice). A blank control clears a
 * value the user has (null) and leaves an absent one absent; identity checks every value
 * against its definition, all or nothing, a refused one named `values.<field>`.
 * Shown only to an admin who may read the definitions (`schema:read`).
 */
import type { CustomFieldDefinition, CustomFieldValue } from "@authrim/contracts"
import { Effect } from "effect"
import type { AdminProblem } from "../admin/admin_problem.ts"
import type { Edge } from "../edge_layer.ts"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, tryOperation, type ConsoleCall } from "./console_call.ts"
import { inputField, selectField, type FieldErrors } from "./console_forms.ts"
import { csrfInput } from "./console_layout.ts"

const controlName = (name: string) => `values.${name}`

const textOf = (value: CustomFieldValue | undefined) => (value === undefined ? "" : String(value))

/** The definitions and the user's values (null when the admin may not read the definitions). */
const readFields = Effect.fnUntraced(function*(call: ConsoleCall, userId: string) {
  const [definitions, values] = yield* Effect.all([
    tryOperation(call, "listCustomFields"),
    tryOperation(call, "getUserCustomFields", { params: { userId } })
  ], { concurrency: 2 })
  if (!definitions.ok || !values.ok) return null
  return {
    definitions: bodyOf<{ definitions: ReadonlyArray<CustomFieldDefinition> }>(definitions.reply).definitions,
    values: bodyOf<{ values: Readonly<Record<string, CustomFieldValue>> }>(values.reply).values
  }
})

const control = (locale: Locale, d: CustomFieldDefinition, value: string, errors: FieldErrors) => {
  const spec = {
    name: controlName(d.name), id: `cf-${d.name}`, label: `${d.labels[locale]} (${d.name})`, value, errors,
    ...(d.userEditable ? { hint: t(locale, "console.userFields.userEditable") } : {})
  }
  switch (d.type) {
    case "boolean":
      return selectField({ ...spec, options: [["", t(locale, "console.userFields.noValue")], ["true", t(locale, "console.yes")], ["false", t(locale, "console.no")]] })
    case "enum":
      return selectField({ ...spec, options: [["", t(locale, "console.userFields.noValue")], ...(d.validation.enumValues ?? []).map((v) => [v, v] as const)] })
    case "date":
      return inputField({ ...spec, type: "date" })
    case "number":
      return inputField({ ...spec, attributes: `inputmode="decimal"` })
    default:
      return inputField({ ...spec, ...(d.validation.maxLength === undefined ? {} : { attributes: `maxlength="${d.validation.maxLength}"` }) })
  }
}

/** The section of the user page (an empty string for an admin without `schema:read`). */
export const userCustomFieldsSection = Effect.fnUntraced(function*(call: ConsoleCall, userId: string, href: string, posted: URLSearchParams | null, errors: FieldErrors) {
  const { locale } = call.frame
  const fields = yield* readFields(call, userId)
  if (fields === null) return ""
  const heading = `<h2>${tHtml(locale, "console.userFields.title")}</h2>`
  if (fields.definitions.length === 0) return `${heading}<p>${tHtml(locale, "console.userFields.none")} <a href="/admin/custom-fields">${tHtml(locale, "console.userFields.define")}</a></p>`
  const formError = errors.get("values")
  return heading + `<form method="post" action="${escapeHtml(href)}/custom-fields" novalidate>${csrfInput(call.frame)}<div class="grid">` +
    fields.definitions.map((d) => control(locale, d, posted !== null ? posted.get(controlName(d.name)) ?? "" : textOf(fields.values[d.name]), errors)).join("") +
    `</div>${formError === undefined ? "" : `<p class="field-error">${escapeHtml(formError)}</p>`}<button type="submit">${tHtml(locale, "console.userFields.save")}</button></form>`
})

/** A control's text as the value its type takes: a number (or the text, for identity to refuse by name), a boolean, else the text. */
const valueOf = (d: CustomFieldDefinition, text: string): CustomFieldValue => {
  if (d.type === "number") return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text
  if (d.type === "boolean") return text === "true" ? true : text === "false" ? false : text
  return text
}

/** The patch of the posted form: a filled control sets, a blank one clears a value the user has. */
export const customValuesPatch = Effect.fnUntraced(function*(call: ConsoleCall, userId: string): Effect.fn.Return<{ readonly ok: true; readonly patch: Record<string, CustomFieldValue | null> } | { readonly ok: false; readonly problem: AdminProblem }, never, Edge> {
  const [definitions, current] = yield* Effect.all([
    tryOperation(call, "listCustomFields"),
    tryOperation(call, "getUserCustomFields", { params: { userId } })
  ], { concurrency: 2 })
  if (!definitions.ok) return definitions
  if (!current.ok) return current
  const values = bodyOf<{ values: Readonly<Record<string, CustomFieldValue>> }>(current.reply).values
  const patch: Record<string, CustomFieldValue | null> = {}
  for (const d of bodyOf<{ definitions: ReadonlyArray<CustomFieldDefinition> }>(definitions.reply).definitions) {
    const text = (call.form.get(controlName(d.name)) ?? "").trim()
    if (text !== "") patch[d.name] = valueOf(d, text)
    else if (values[d.name] !== undefined) patch[d.name] = null
  }
  return { ok: true, patch }
})
