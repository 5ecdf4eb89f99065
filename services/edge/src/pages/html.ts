/** HTML building blocks of the edge's pages: escaping, form fields and the shared layout. */
import { DEFAULT_LOCALE, type Locale } from "../i18n/locale.ts"
import { PAGE_STYLESHEET } from "./page_stylesheet.ts"

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;", "/": "&#x2F;" }

/** Escapes text for an element body or a double-quoted attribute. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"'/]/g, (c) => entities[c] ?? c)

/** A hidden form field. */
export const hiddenInput = (name: string, value: string): string =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`

/** The hidden `ui_locales` of a form outside a transaction, so its answer keeps the language (none for the default). */
export const localeInput = (locale: Locale): string => (locale === DEFAULT_LOCALE ? "" : hiddenInput("ui_locales", locale))

/** Id of a form's error line; the fields it concerns point at it with `aria-describedby`. */
export const FORM_ERROR_ID = "form-error"

/** The error of a failed post (announced: `role="alert"`), or nothing. */
export const errorLine = (error: string | null): string =>
  error === null ? "" : `<p class="error" id="${FORM_ERROR_ID}" role="alert">${escapeHtml(error)}</p>`

/** A labelled input; with `error` it is marked invalid and described by the error line. */
export const textField = (field: {
  readonly id: string
  readonly label: string
  readonly type?: string
  readonly name?: string
  readonly value?: string
  /** Extra attributes, already escaped (`autocomplete="username" required`). */
  readonly attributes?: string
  readonly error?: string | null
}): string =>
  `<label for="${escapeHtml(field.id)}">${escapeHtml(field.label)}</label>` +
  `<input id="${escapeHtml(field.id)}" type="${escapeHtml(field.type ?? "text")}" name="${escapeHtml(field.name ?? field.id)}" ` +
  `value="${escapeHtml(field.value ?? "")}"` +
  (field.error === null || field.error === undefined ? "" : ` aria-invalid="true" aria-describedby="${FORM_ERROR_ID}"`) +
  (field.attributes === undefined ? "" : ` ${field.attributes}`) + `>`

/** The page layout in `locale`; `body` must already be escaped. */
export const layout = (locale: Locale, title: string, body: string, head = ""): string =>
  `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${PAGE_STYLESHEET}</style>${head}</head>` +
  `<body><main>${body}</main></body></html>`
