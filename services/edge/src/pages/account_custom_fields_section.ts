/**
 * The custom fields a user may edit, as a fieldset of the profile page
 * (pages/account_profile_page.ts): labels in the page's language (the
 * definition's `labels.en` / `labels.ja`), inputs typed by the definition
 * (text with maxlength, number, date, a select for enum and boolean — a
 * select, not a checkbox, so "not set" stays distinct from "no"). Form names
 * are `custom.<field>`; a refused value is shown next to its input.
 */
import type { CustomFieldDefinition } from "@authrim/contracts"
import type { Locale } from "../i18n/locale.ts"
import { tHtml } from "../i18n/translate.ts"
import { escapeHtml } from "./html.ts"

/** What the section shows: the editable definitions and the form's values (`custom.<field>` → text). */
export interface CustomFieldsSectionModel {
  readonly definitions: ReadonlyArray<CustomFieldDefinition>
  readonly values: Readonly<Record<string, string>>
}

/** The form name of a custom field. */
export const customFieldFormName = (name: string): string => `custom.${name}`

const option = (value: string, label: string, selected: string) =>
  `<option value="${escapeHtml(value)}"${value === selected ? " selected" : ""}>${label}</option>`

const control = (locale: Locale, definition: CustomFieldDefinition, id: string, name: string, value: string, attributes: string): string => {
  switch (definition.type) {
    case "boolean":
      return `<select id="${id}" name="${name}"${attributes}>` + option("", tHtml(locale, "customFields.choose"), value) +
        option("true", tHtml(locale, "customFields.yes"), value) + option("false", tHtml(locale, "customFields.no"), value) + `</select>`
    case "enum":
      return `<select id="${id}" name="${name}"${attributes}>` + option("", tHtml(locale, "customFields.choose"), value) +
        (definition.validation.enumValues ?? []).map((v) => option(v, escapeHtml(v), value)).join("") + `</select>`
    default: {
      const type = definition.type === "number" ? "number" : definition.type === "date" ? "date" : "text"
      const limits = definition.type === "string" ? ` maxlength="${definition.validation.maxLength ?? 256}"`
        : definition.type === "number" ? `${definition.validation.min === undefined ? "" : ` min="${definition.validation.min}"`}${definition.validation.max === undefined ? "" : ` max="${definition.validation.max}"`} step="any"`
        : ""
      return `<input id="${id}" type="${type}" name="${name}" value="${escapeHtml(value)}"${limits}${attributes}>`
    }
  }
}

/** The fieldset (empty when the user may edit no custom field). `error` names a form field (`custom.<field>`). */
export const customFieldsSection = (
  locale: Locale,
  model: CustomFieldsSectionModel,
  error: { readonly field: string; readonly message: string } | null
): string => {
  if (model.definitions.length === 0) return ""
  const rows = model.definitions.map((definition) => {
    const name = customFieldFormName(definition.name)
    const id = `custom-${definition.name}`
    const wrong = error !== null && error.field === name
    // No HTML `required`: it would block saving the rest of the form while the field is still empty. `required`
    // means "cannot be cleared once set", which identity enforces (the error then shows next to the field).
    const attributes = wrong ? ` aria-invalid="true" aria-describedby="${id}-error"` : ""
    return `<label for="${id}">${escapeHtml(locale === "ja" ? definition.labels.ja : definition.labels.en)}</label>` +
      control(locale, definition, id, name, model.values[name] ?? "", attributes) +
      (wrong ? `<p class="error" id="${id}-error" role="alert">${escapeHtml(error.message)}</p>` : "")
  })
  return `<fieldset><legend>${tHtml(locale, "customFields.legend")}</legend>${rows.join("")}</fieldset>`
}
