/**
 * The second-factor page of a sign-in: one field, `code`, that takes the
 * 6-digit code of the user's authenticator app or one of their recovery
 * codes; hidden `mfa` (the pending step) and `csrf`. Plain HTML, no script.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { errorLine, escapeHtml, hiddenInput, layout, textField } from "./html.ts"

/** What the page shows. */
export interface SecondFactorPageModel {
  readonly mfa: string
  readonly csrf: string
  readonly error: string | null
}

/** Renders the page (`status` 401 after a wrong code, 429 when rate limited). */
export const secondFactorPage = (locale: Locale, model: SecondFactorPageModel, status = 200): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "secondFactor.title"),
      `<h1>${tHtml(locale, "secondFactor.title")}</h1><p>${tHtml(locale, "secondFactor.intro")}</p>` +
        `<form method="post" action="/login/totp">` +
        hiddenInput("mfa", model.mfa) +
        hiddenInput("csrf", model.csrf) +
        errorLine(model.error) +
        textField({
          id: "code", label: t(locale, "common.code"), error: model.error,
          attributes: `autocomplete="one-time-code" autocapitalize="off" spellcheck="false" required`
        }) +
        `<button type="submit">${tHtml(locale, "secondFactor.submit")}</button></form>`
    ),
    { status }
  )
