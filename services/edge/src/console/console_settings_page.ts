/**
 * The system settings in the console: one form over the settings document (lifetimes,
 * password policy, MFA, sign-in methods, open registration), its version in a hidden
 * field → the `updateSettings` operation's If-Match (a concurrent change → 412 banner).
 * Identity checks the merged document as a whole; a refused value is shown by its field.
 */
import type { SettingsDocument } from "@authrim/contracts"
import { Effect } from "effect"
import type { AdminProblem } from "../admin/admin_problem.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { seeOther } from "../http/redirect.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, runOperation, tryOperation, type ConsoleCall } from "./console_call.ts"
import { checkboxField, fieldErrorsOf, inputField, notice, problemBanner, timeText, versionInput, versionOf } from "./console_forms.ts"
import { consolePage, csrfInput } from "./console_layout.ts"

const NUMBERS = ["sessionLifetimeSeconds", "accessTokenLifetimeSeconds", "idTokenLifetimeSeconds", "refreshTokenLifetimeSeconds"] as const
const METHODS = ["password", "passkey", "magicLink", "upstream"] as const
const FLAGS = ["mfaRequired", "mfaRequiredForAdmins", "openRegistration"] as const

/** A number field's value: a number when it is one, else the text (the Schema then refuses it naming the field). */
const numberOf = (value: string | null): number | string => {
  const text = (value ?? "").trim()
  return /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : text
}

const settingsPage = (call: ConsoleCall, document: SettingsDocument, posted: URLSearchParams | null, problem: AdminProblem | null) => {
  const { locale } = call.frame
  const { settings } = document
  const errors = fieldErrorsOf(problem)
  const value = (name: string, current: number) => posted === null ? String(current) : posted.get(name) ?? ""
  const checked = (name: string, current: boolean) => posted === null ? current : posted.has(name)
  return consolePage(call.frame, t(locale, "console.settings.title"),
    `<h1>${tHtml(locale, "console.settings.title")}</h1><p class="muted">${tHtml(locale, "console.version", { version: document.version })} · ` +
      `${tHtml(locale, "console.updated", { time: timeText(document.updatedAt || null) })}${document.updatedBy === null ? "" : ` · ${escapeHtml(document.updatedBy)}`}</p>` +
      notice(call.url.searchParams.get("saved") === "1" ? t(locale, "console.savedNotice") : null) + problemBanner(locale, problem, "/admin/settings") +
      `<form method="post" action="/admin/settings" novalidate>${csrfInput(call.frame)}${versionInput(document.version)}` +
      `<fieldset><legend>${tHtml(locale, "console.settings.lifetimes")}</legend><div class="grid">` +
      NUMBERS.map((name) => inputField({ name, label: t(locale, `console.settings.${name}`), value: value(name, settings[name]), errors, type: "number", attributes: `inputmode="numeric"` })).join("") +
      `</div></fieldset><fieldset><legend>${tHtml(locale, "console.settings.passwordPolicy")}</legend><div class="grid">` +
      inputField({ name: "passwordPolicy.minLength", id: "f-minLength", label: t(locale, "console.settings.minLength"), value: value("passwordPolicy.minLength", settings.passwordPolicy.minLength), errors, type: "number" }) +
      inputField({ name: "passwordPolicy.maxLength", id: "f-maxLength", label: t(locale, "console.settings.maxLength"), value: value("passwordPolicy.maxLength", settings.passwordPolicy.maxLength), errors, type: "number" }) +
      `</div></fieldset><fieldset><legend>${tHtml(locale, "console.settings.signInMethods")}</legend>` +
      METHODS.map((m) => checkboxField({ name: `signInMethods.${m}`, id: `f-method-${m}`, label: t(locale, `console.settings.method.${m}`), checked: checked(`signInMethods.${m}`, settings.signInMethods[m]) })).join("") +
      (errors.get("signInMethods") === undefined ? "" : `<p class="field-error">${escapeHtml(errors.get("signInMethods")!)}</p>`) +
      `</fieldset><fieldset><legend>${tHtml(locale, "console.settings.security")}</legend>` +
      FLAGS.map((f) => checkboxField({ name: f, label: t(locale, `console.settings.${f}`), checked: checked(f, settings[f]) })).join("") +
      `</fieldset><button type="submit">${tHtml(locale, "console.save")}</button></form>`,
    { status: problem === null ? 200 : problem.status })
}

/** `GET /admin/settings`. */
export const settingsFormPage = Effect.fnUntraced(function*(call: ConsoleCall) {
  return settingsPage(call, bodyOf<SettingsDocument>(yield* runOperation(call, "getSettings")), null, null)
})

/** `POST /admin/settings`: the whole form as one patch. */
export const updateSettings = Effect.fnUntraced(function*(call: ConsoleCall) {
  const form = call.form
  const body = {
    ...Object.fromEntries(NUMBERS.map((name) => [name, numberOf(form.get(name))])),
    passwordPolicy: { minLength: numberOf(form.get("passwordPolicy.minLength")), maxLength: numberOf(form.get("passwordPolicy.maxLength")) },
    signInMethods: Object.fromEntries(METHODS.map((m) => [m, form.has(`signInMethods.${m}`)])),
    ...Object.fromEntries(FLAGS.map((f) => [f, form.has(f)]))
  }
  const result = yield* tryOperation(call, "updateSettings", { body, ifMatch: versionOf(form) })
  if (result.ok) return seeOther("/admin/settings?saved=1")
  return settingsPage(call, bodyOf<SettingsDocument>(yield* runOperation(call, "getSettings")), form, result.problem)
})
