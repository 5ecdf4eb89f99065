/**
 * Custom field definitions in the console (issue 12 §2, §4): list, define (name, type,
 * the validation rules of that type, labels in English and Japanese, user-editable,
 * required), edit (version in a hidden field → If-Match; name and type are fixed),
 * delete after a confirmation saying every user's value and every scope mapping of the
 * field go with it. The `*CustomField*` operations (admin_custom_fields_routes.ts).
 */
import type { CustomFieldDefinition, CustomFieldType } from "@authrim/contracts"
import { Effect } from "effect"
import type { AdminProblem } from "../admin/admin_problem.ts"
import type { Locale } from "../i18n/locale.ts"
import type { MessageKey } from "../i18n/messages_en.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { seeOther } from "../http/redirect.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, runOperation, tryOperation, type ConsoleCall } from "./console_call.ts"
import {
  checkboxField, fieldErrorsOf, inputField, linesOf, notice, problemBanner, selectField, textAreaField, versionInput, versionOf, type FieldErrors
} from "./console_forms.ts"
import { consolePage, csrfInput } from "./console_layout.ts"

const TYPES: ReadonlyArray<CustomFieldType> = ["string", "number", "boolean", "date", "enum"]
const LIST = "/admin/custom-fields"
const fieldHref = (name: string) => `${LIST}/${encodeURIComponent(name)}`

/** The validation members each type takes (identity refuses the others). */
const RULES: Readonly<Record<CustomFieldType, ReadonlyArray<"maxLength" | "pattern" | "min" | "max" | "enumValues">>> = {
  string: ["maxLength", "pattern"], number: ["min", "max"], boolean: [], date: [], enum: ["enumValues"]
}

/** Form values (as posted, or from a definition). */
type Values = Readonly<Record<string, string>> & { readonly userEditable: string; readonly required: string }

const valuesOfDefinition = (d: CustomFieldDefinition): Values => ({
  name: d.name, type: d.type,
  "validation.maxLength": d.validation.maxLength === undefined ? "" : String(d.validation.maxLength),
  "validation.pattern": d.validation.pattern ?? "",
  "validation.min": d.validation.min === undefined ? "" : String(d.validation.min),
  "validation.max": d.validation.max === undefined ? "" : String(d.validation.max),
  "validation.enumValues": (d.validation.enumValues ?? []).join("\n"),
  "labels.en": d.labels.en, "labels.ja": d.labels.ja,
  userEditable: d.userEditable ? "on" : "", required: d.required ? "on" : ""
})

const valuesOfForm = (form: URLSearchParams): Values => {
  const values: Record<string, string> = {}
  for (const name of ["name", "type", "validation.maxLength", "validation.pattern", "validation.min", "validation.max", "validation.enumValues", "labels.en", "labels.ja"]) {
    values[name] = form.get(name) ?? ""
  }
  return { ...values, userEditable: form.has("userEditable") ? "on" : "", required: form.has("required") ? "on" : "" }
}

const EMPTY: Values = valuesOfForm(new URLSearchParams("type=string"))

/** A number field's value: blank → absent; not a number → the text (the Schema refuses it, naming the field). */
const numberOrText = (value: string): number | string | undefined => {
  const trimmed = value.trim()
  if (trimmed === "") return undefined
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed
}

/** The validation of `type` from the form: only the members that type takes. */
const validationOf = (form: URLSearchParams, type: string): Record<string, unknown> => {
  const rules = RULES[type as CustomFieldType] ?? []
  const validation: Record<string, unknown> = {}
  for (const rule of rules) {
    const raw = form.get(`validation.${rule}`) ?? ""
    const value = rule === "pattern" ? (raw === "" ? undefined : raw) : rule === "enumValues" ? (linesOf(raw).length === 0 ? undefined : linesOf(raw)) : numberOrText(raw)
    if (value !== undefined) validation[rule] = value
  }
  return validation
}

const commonBody = (form: URLSearchParams, type: string) => ({
  validation: validationOf(form, type),
  labels: { en: (form.get("labels.en") ?? "").trim(), ja: (form.get("labels.ja") ?? "").trim() },
  userEditable: form.has("userEditable"),
  required: form.has("required")
})

/** The rule fields: all of them on the create form (each says which type it applies to), only the type's on the edit form. */
const ruleFields = (locale: Locale, values: Values, errors: FieldErrors, type: CustomFieldType | null) => {
  const shown = (rule: string) => type === null || (RULES[type] as ReadonlyArray<string>).includes(rule)
  const field = (rule: string, labelKey: MessageKey, hintKey: MessageKey, kind: "number" | "text" | "area") => {
    if (!shown(rule)) return ""
    const spec = { name: `validation.${rule}`, label: t(locale, labelKey), value: values[`validation.${rule}`] ?? "", errors, hint: t(locale, hintKey) }
    return kind === "area" ? textAreaField({ ...spec, rows: 4 }) : inputField({ ...spec, attributes: kind === "number" ? `inputmode="decimal"` : `spellcheck="false"` })
  }
  const inner = field("maxLength", "console.customFields.maxLength", "console.customFields.maxLengthHint", "number") +
    field("pattern", "console.customFields.pattern", "console.customFields.patternHint", "text") +
    field("min", "console.customFields.min", "console.customFields.numberHint", "number") +
    field("max", "console.customFields.max", "console.customFields.numberHint", "number") +
    field("enumValues", "console.customFields.enumValues", "console.customFields.enumValuesHint", "area")
  const error = errors.get("validation")
  return `<fieldset><legend>${tHtml(locale, "console.customFields.validation")}</legend>` +
    (inner === "" ? `<p class="muted">${tHtml(locale, "console.customFields.noRules")}</p>` : `<div class="grid">${inner}</div>`) +
    (error === undefined || errors.has("validation.maxLength") || errors.has("validation.pattern") || errors.has("validation.min") || errors.has("validation.max") || errors.has("validation.enumValues")
      ? "" : `<p class="field-error">${escapeHtml(error)}</p>`) + `</fieldset>`
}

const labelAndFlagFields = (locale: Locale, values: Values, errors: FieldErrors) =>
  `<div class="grid">` +
  inputField({ name: "labels.en", label: t(locale, "console.customFields.labelEn"), value: values["labels.en"], errors, attributes: `required lang="en"` }) +
  inputField({ name: "labels.ja", label: t(locale, "console.customFields.labelJa"), value: values["labels.ja"], errors, attributes: `required lang="ja"` }) +
  `</div>` +
  checkboxField({ name: "userEditable", label: t(locale, "console.customFields.userEditable"), checked: values.userEditable === "on" }) +
  checkboxField({ name: "required", label: t(locale, "console.customFields.required"), checked: values.required === "on" })

const typeLabel = (locale: Locale, type: string) => t(locale, `console.customFields.type.${type}` as MessageKey)

const rulesText = (d: CustomFieldDefinition) => {
  const v = d.validation
  return [
    v.maxLength === undefined ? "" : `≤ ${v.maxLength}`, v.pattern === undefined ? "" : `/${v.pattern}/`,
    v.min === undefined ? "" : `≥ ${v.min}`, v.max === undefined ? "" : `≤ ${v.max}`, v.enumValues === undefined ? "" : v.enumValues.join(" | ")
  ].filter((s) => s !== "").join(", ") || "—"
}

const listPage = Effect.fnUntraced(function*(call: ConsoleCall, values: Values, problem: AdminProblem | null) {
  const { locale } = call.frame
  const { definitions } = bodyOf<{ definitions: ReadonlyArray<CustomFieldDefinition> }>(yield* runOperation(call, "listCustomFields"))
  const errors = fieldErrorsOf(problem)
  const done = call.url.searchParams.get("deleted")
  const rows = definitions.map((d) =>
    `<tr><td><a href="${escapeHtml(fieldHref(d.name))}"><code>${escapeHtml(d.name)}</code></a></td><td>${escapeHtml(typeLabel(locale, d.type))}</td>` +
    `<td>${escapeHtml(d.labels[locale])}</td><td>${escapeHtml(rulesText(d))}</td>` +
    `<td>${tHtml(locale, d.userEditable ? "console.yes" : "console.no")}</td><td>${tHtml(locale, d.required ? "console.yes" : "console.no")}</td></tr>`).join("")
  return consolePage(call.frame, t(locale, "console.customFields.title"),
    `<h1>${tHtml(locale, "console.customFields.title")}</h1>` +
      notice(done === null ? null : t(locale, "console.customFields.deletedNotice", { name: done })) +
      `<p class="muted">${tHtml(locale, "console.customFields.intro")}</p>` +
      (definitions.length === 0 ? `<p>${tHtml(locale, "console.customFields.none")}</p>` :
        `<div class="scroll"><table><thead><tr><th scope="col">${tHtml(locale, "console.customFields.name")}</th><th scope="col">${tHtml(locale, "console.customFields.type")}</th>` +
        `<th scope="col">${tHtml(locale, "console.customFields.label")}</th><th scope="col">${tHtml(locale, "console.customFields.validation")}</th>` +
        `<th scope="col">${tHtml(locale, "console.customFields.userEditableShort")}</th><th scope="col">${tHtml(locale, "console.customFields.requiredShort")}</th></tr></thead><tbody>${rows}</tbody></table></div>`) +
      `<h2>${tHtml(locale, "console.customFields.new")}</h2>${problemBanner(locale, problem)}` +
      `<form method="post" action="${LIST}" novalidate>${csrfInput(call.frame)}<div class="grid">` +
      inputField({ name: "name", label: t(locale, "console.customFields.name"), value: values["name"], errors, hint: t(locale, "console.customFields.nameHint"), attributes: `required spellcheck="false"` }) +
      selectField({ name: "type", label: t(locale, "console.customFields.type"), value: values["type"], errors, options: TYPES.map((type) => [type, typeLabel(locale, type)] as const) }) +
      `</div>` + labelAndFlagFields(locale, values, errors) + ruleFields(locale, values, errors, null) +
      `<button type="submit">${tHtml(locale, "console.customFields.create")}</button></form>`,
    { status: problem === null ? 200 : problem.status })
})

/** `GET /admin/custom-fields`. */
export const customFieldsListPage = (call: ConsoleCall) => listPage(call, EMPTY, null)

/** `POST /admin/custom-fields`. */
export const createCustomField = Effect.fnUntraced(function*(call: ConsoleCall) {
  const type = call.form.get("type") ?? ""
  const body = { name: (call.form.get("name") ?? "").trim(), type, ...commonBody(call.form, type) }
  const result = yield* tryOperation(call, "createCustomField", { body })
  if (result.ok) return seeOther(`${fieldHref(bodyOf<CustomFieldDefinition>(result.reply).name)}?saved=1`)
  return yield* listPage(call, valuesOfForm(call.form), result.problem)
})

const readDefinition = (call: ConsoleCall) =>
  Effect.map(runOperation(call, "getCustomField", { params: { name: call.params["name"]! } }), (reply) => bodyOf<CustomFieldDefinition>(reply))

const editPage = (call: ConsoleCall, definition: CustomFieldDefinition, values: Values, problem: AdminProblem | null) => {
  const { locale } = call.frame
  const href = fieldHref(definition.name)
  const errors = fieldErrorsOf(problem)
  return consolePage(call.frame, definition.name,
    `<p><a href="${LIST}">${tHtml(locale, "console.customFields.back")}</a></p>` +
      `<h1><code>${escapeHtml(definition.name)}</code></h1><p class="muted">${escapeHtml(typeLabel(locale, definition.type))} · ${tHtml(locale, "console.version", { version: definition.version })}</p>` +
      notice(call.url.searchParams.get("saved") === "1" ? t(locale, "console.savedNotice") : null) + problemBanner(locale, problem, href) +
      `<form method="post" action="${escapeHtml(href)}" novalidate>${csrfInput(call.frame)}${versionInput(definition.version)}` +
      labelAndFlagFields(locale, values, errors) + ruleFields(locale, values, errors, definition.type) +
      `<button type="submit">${tHtml(locale, "console.save")}</button></form>` +
      `<h2>${tHtml(locale, "console.dangerZone")}</h2><p><a class="danger" href="${escapeHtml(href)}/delete">${tHtml(locale, "console.customFields.delete")}</a></p>`,
    { status: problem === null ? 200 : problem.status })
}

/** `GET /admin/custom-fields/{name}`. */
export const editCustomFieldForm = Effect.fnUntraced(function*(call: ConsoleCall) {
  const definition = yield* readDefinition(call)
  return editPage(call, definition, valuesOfDefinition(definition), null)
})

/** `POST /admin/custom-fields/{name}`: labels, flags and the type's rules (name and type are fixed). */
export const updateCustomField = Effect.fnUntraced(function*(call: ConsoleCall) {
  const name = call.params["name"]!
  const current = yield* readDefinition(call)
  const result = yield* tryOperation(call, "updateCustomField", { params: { name }, body: commonBody(call.form, current.type), ifMatch: versionOf(call.form) })
  if (result.ok) return seeOther(`${fieldHref(name)}?saved=1`)
  return editPage(call, yield* readDefinition(call), { ...valuesOfForm(call.form), name, type: current.type }, result.problem)
})

const deletePage = (call: ConsoleCall, definition: CustomFieldDefinition, problem: AdminProblem | null) => {
  const { locale } = call.frame
  const href = fieldHref(definition.name)
  return consolePage(call.frame, t(locale, "console.customFields.delete"),
    `<h1>${tHtml(locale, "console.customFields.delete")}</h1>${problemBanner(locale, problem, `${href}/delete`)}` +
      `<p>${tHtml(locale, "console.customFields.deleteConfirm", { name: definition.name })}</p>` +
      `<form method="post" action="${escapeHtml(href)}/delete">${csrfInput(call.frame)}${versionInput(definition.version)}` +
      `<button type="submit" class="danger">${tHtml(locale, "console.deleteForever")}</button> <a href="${escapeHtml(href)}">${tHtml(locale, "console.cancel")}</a></form>`,
    { status: problem === null ? 200 : problem.status })
}

/** `GET /admin/custom-fields/{name}/delete`. */
export const confirmDeleteCustomField = Effect.fnUntraced(function*(call: ConsoleCall) {
  return deletePage(call, yield* readDefinition(call), null)
})

/** `POST /admin/custom-fields/{name}/delete`. */
export const deleteCustomField = Effect.fnUntraced(function*(call: ConsoleCall) {
  const name = call.params["name"]!
  const result = yield* tryOperation(call, "deleteCustomField", { params: { name }, ifMatch: versionOf(call.form) })
  if (result.ok) return seeOther(`${LIST}?deleted=${encodeURIComponent(name)}`)
  return deletePage(call, yield* readDefinition(call), result.problem)
})
