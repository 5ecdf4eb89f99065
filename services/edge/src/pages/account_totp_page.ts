/**
 * `/account/totp` views: the status with the one next action (set up, or
 * turn off with a code), the enrolment screen (secret + otpauth URI, confirm
 * with a first code), and the recovery codes — shown once, right after
 * enrolment. Every form posts `action` and the hidden double-submit `csrf`.
 */
import type { MfaStatus, TotpEnrolment } from "@authrim/contracts"
import type { Locale } from "../i18n/locale.ts"
import type { MessageKey } from "../i18n/messages_en.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { errorLine, escapeHtml, hiddenInput, layout, textField } from "./html.ts"

/** Which view of the page. */
export type AccountTotpView =
  | { readonly kind: "status"; readonly status: MfaStatus }
  | { readonly kind: "enrol"; readonly enrolment: TotpEnrolment | null }
  | { readonly kind: "recovery-codes"; readonly codes: ReadonlyArray<string> }
  | { readonly kind: "disabled" }

const form = (csrf: string, action: string, body: string) =>
  `<form method="post" action="/account/totp">${hiddenInput("csrf", csrf)}${hiddenInput("action", action)}${body}</form>`

const codeField = (locale: Locale, error: string | null) =>
  textField({ id: "code", label: t(locale, "common.code"), error, attributes: `autocomplete="one-time-code" autocapitalize="off" required` })

const button = (locale: Locale, key: MessageKey) => `<button type="submit">${tHtml(locale, key)}</button>`
const text = (locale: Locale, key: MessageKey) => `<p>${tHtml(locale, key)}</p>`

const viewBody = (locale: Locale, view: AccountTotpView, csrf: string, error: string | null): string => {
  switch (view.kind) {
    case "status":
      return view.status.totpEnabled
        ? `<p>${tHtml(locale, "totp.isOn", { count: view.status.recoveryCodesLeft })}</p>` +
          `<h2>${tHtml(locale, "totp.turnOffHeading")}</h2>` + text(locale, "totp.turnOffIntro") +
          form(csrf, "disable", errorLine(error) + codeField(locale, error) + button(locale, "totp.turnOff")) +
          `<h2>${tHtml(locale, "totp.recoveryHeading")}</h2>` + text(locale, "totp.recoveryIntro") +
          form(csrf, "regenerate", button(locale, "totp.regenerate"))
        : errorLine(error) + `<p>${tHtml(locale, "totp.isOff")}</p>` + form(csrf, "begin", button(locale, "totp.setUp"))
    case "enrol":
      return (view.enrolment === null
        ? ""
        : text(locale, "totp.addToApp") +
          `<p>${tHtml(locale, "totp.key")} <code id="totp-secret">${escapeHtml(view.enrolment.secret.replace(/(.{4})/g, "$1 ").trim())}</code></p>` +
          `<p><a id="otpauth-uri" href="${escapeHtml(view.enrolment.otpauthUri)}">${escapeHtml(view.enrolment.otpauthUri)}</a></p>`) +
        text(locale, "totp.enterCode") +
        form(csrf, "confirm", errorLine(error) + codeField(locale, error) + button(locale, "totp.turnOn")) +
        form(csrf, "begin", button(locale, "totp.startOver"))
    case "recovery-codes":
      return errorLine(error) + `<p>${tHtml(locale, "totp.saveCodes")}</p>` +
        `<ul id="recovery-codes">${view.codes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join("")}</ul>` +
        `<p><a href="/account/totp">${tHtml(locale, "totp.done")}</a></p>`
    case "disabled":
      return errorLine(error) + `<p>${tHtml(locale, "totp.off")}</p><p><a href="/account/totp">${tHtml(locale, "totp.back")}</a></p>`
  }
}

/** Renders a view (`error` next to the code field; `status` 400/401/429 after a failed post). */
export const accountTotpPage = (locale: Locale, view: AccountTotpView, csrf: string, error: string | null, status = 200): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "totp.title"),
      `<h1>${tHtml(locale, "totp.title")}</h1>` + viewBody(locale, view, csrf, error) +
        `<p class="links"><a href="/account">${tHtml(locale, "common.yourAccount")}</a></p>`
    ),
    { status }
  )
