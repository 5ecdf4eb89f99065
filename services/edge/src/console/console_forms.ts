/**
 * Form pieces of the console: labelled fields with their error next to them
 * (`aria-invalid` + `aria-describedby`), the banner of a refused operation, the
 * hidden version of a versioned record (sent as the operation's `If-Match`), and
 * form values turned into the JSON the admin API's Schemas decode.
 */
import type { AdminProblem, FieldError } from "../admin/admin_problem.ts"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { escapeHtml, hiddenInput } from "../pages/html.ts"

/** Field errors by form field (the first segment of the API's path: `redirectUris.0` → `redirectUris`). */
export type FieldErrors = ReadonlyMap<string, string>

export const NO_ERRORS: FieldErrors = new Map()

/** The field errors of a 400 problem. */
export const fieldErrorsOf = (problem: AdminProblem | null): FieldErrors => {
  const errors = new Map<string, string>()
  for (const error of (problem?.errors ?? []) as ReadonlyArray<FieldError>) {
    const field = error.field.split(".")[0]!
    if (!errors.has(field)) errors.set(field, error.field.includes(".") ? `${error.field}: ${error.message}` : error.message)
    // Nested forms name their fields by the whole path (`passwordPolicy.minLength`).
    if (!errors.has(error.field)) errors.set(error.field, error.message)
  }
  return errors
}

const errorId = (id: string) => `${id}-error`

const describedBy = (id: string, error: string | undefined, hint: string | undefined) => {
  const ids = [...(error === undefined ? [] : [errorId(id)]), ...(hint === undefined ? [] : [`${id}-hint`])]
  return (error === undefined ? "" : ` aria-invalid="true"`) + (ids.length === 0 ? "" : ` aria-describedby="${ids.join(" ")}"`)
}

const after = (id: string, error: string | undefined, hint: string | undefined) =>
  (hint === undefined ? "" : `<p class="hint" id="${id}-hint">${escapeHtml(hint)}</p>`) +
  (error === undefined ? "" : `<p class="field-error" id="${errorId(id)}">${escapeHtml(error)}</p>`)

/** A field's common description. */
export interface FieldSpec {
  readonly name: string
  readonly label: string
  readonly value?: string
  readonly hint?: string
  readonly errors?: FieldErrors
  /** Already escaped (`required`, `autocomplete="off"`). */
  readonly attributes?: string
  /** Id (defaults to `f-<name>`). */
  readonly id?: string
}

const idOf = (spec: FieldSpec) => spec.id ?? `f-${spec.name}`

/** A labelled `<input>`. */
export const inputField = (spec: FieldSpec & { readonly type?: string }): string => {
  const id = idOf(spec)
  const error = spec.errors?.get(spec.name)
  return `<div><label for="${id}">${escapeHtml(spec.label)}</label><input id="${id}" name="${escapeHtml(spec.name)}" type="${spec.type ?? "text"}" ` +
    `value="${escapeHtml(spec.value ?? "")}"${describedBy(id, error, spec.hint)}${spec.attributes === undefined ? "" : ` ${spec.attributes}`}>${after(id, error, spec.hint)}</div>`
}

/** A labelled `<textarea>` (lists: one item a line). */
export const textAreaField = (spec: FieldSpec & { readonly rows?: number }): string => {
  const id = idOf(spec)
  const error = spec.errors?.get(spec.name)
  return `<div><label for="${id}">${escapeHtml(spec.label)}</label><textarea id="${id}" name="${escapeHtml(spec.name)}" rows="${spec.rows ?? 3}"` +
    `${describedBy(id, error, spec.hint)}${spec.attributes === undefined ? "" : ` ${spec.attributes}`}>${escapeHtml(spec.value ?? "")}</textarea>${after(id, error, spec.hint)}</div>`
}

/** A labelled `<select>`. */
export const selectField = (spec: FieldSpec & { readonly options: ReadonlyArray<readonly [value: string, label: string]> }): string => {
  const id = idOf(spec)
  const error = spec.errors?.get(spec.name)
  return `<div><label for="${id}">${escapeHtml(spec.label)}</label><select id="${id}" name="${escapeHtml(spec.name)}"${describedBy(id, error, spec.hint)}>` +
    spec.options.map(([value, label]) => `<option value="${escapeHtml(value)}"${value === spec.value ? " selected" : ""}>${escapeHtml(label)}</option>`).join("") +
    `</select>${after(id, error, spec.hint)}</div>`
}

/** A checkbox with its label beside it (`value` "on" when checked). */
export const checkboxField = (spec: { readonly name: string; readonly label: string; readonly checked: boolean; readonly value?: string; readonly id?: string }): string => {
  const id = spec.id ?? `f-${spec.name}${spec.value === undefined ? "" : `-${spec.value.replace(/[^A-Za-z0-9_-]/g, "_")}`}`
  return `<label class="check" for="${id}"><input id="${id}" type="checkbox" name="${escapeHtml(spec.name)}" value="${escapeHtml(spec.value ?? "on")}"${spec.checked ? " checked" : ""}>${escapeHtml(spec.label)}</label>`
}

/** The record's version, sent back as the operation's `If-Match`. */
export const versionInput = (version: number): string => hiddenInput("version", String(version))

/** The version a form names, or -1 (matches no version: the operation answers 412). */
export const versionOf = (form: URLSearchParams): number => {
  const value = form.get("version") ?? ""
  return /^\d{1,15}$/.test(value) ? Number(value) : -1
}

/** A problem as the banner above the form: what went wrong, in the page's language, and the API's detail. */
export const problemBanner = (locale: Locale, problem: AdminProblem | null, reloadHref?: string): string => {
  if (problem === null) return ""
  const lead = problem.status === 412 ? t(locale, "console.problem.stale")
    : problem.status === 400 ? t(locale, "console.problem.invalid")
    : problem.status === 404 ? t(locale, "console.problem.notFound")
    : problem.status === 409 ? t(locale, "console.problem.conflict")
    : problem.status === 403 ? t(locale, "console.problem.forbidden")
    : t(locale, "console.problem.other")
  const reload = problem.status === 412 && reloadHref !== undefined ? ` <a href="${escapeHtml(reloadHref)}">${tHtml(locale, "console.problem.reload")}</a>` : ""
  return `<div class="error" role="alert"><p><strong>${escapeHtml(lead)}</strong>${reload}</p><p>${escapeHtml(problem.detail)}</p></div>`
}

/** A confirmation line (after a redirect: `?done=…`). */
export const notice = (text: string | null): string => (text === null ? "" : `<p class="ok" role="status">${escapeHtml(text)}</p>`)

/** Lines of a textarea as a list (blank lines dropped). */
export const linesOf = (value: string | null): Array<string> =>
  (value ?? "").split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "")

/** A text field as an optional nullable value: blank → null. */
export const textOrNull = (value: string | null): string | null => {
  const trimmed = (value ?? "").trim()
  return trimmed === "" ? null : trimmed
}

/** An epoch-ms time as text (UTC, to the minute). */
export const timeText = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? "—" : `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`
