/**
 * Password recovery and change pages (plain forms, hidden `csrf`):
 * "Forgot password?" (`email`), the reset form (`password`, `confirm`, hidden
 * `token`, checkbox `remove_second_factors`, unchecked by default), the account's change form (`current`, `password`, `confirm`), and
 * their outcomes.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { errorLine, escapeHtml, hiddenInput, layout, localeInput, textField } from "./html.ts"
import { stepUpNotice } from "./step_up_page.ts"
import { uiLocalesSearch } from "../i18n/negotiate_locale.ts"

const newPasswordFields = (locale: Locale, error: string | null) =>
  textField({ id: "password", type: "password", label: t(locale, "password.new"), error, attributes: `autocomplete="new-password" minlength="8" required` }) +
  textField({ id: "confirm", type: "password", label: t(locale, "password.repeat"), error, attributes: `autocomplete="new-password" minlength="8" required` })

const backToSignIn = (locale: Locale, tx: string | null) =>
  tx === null ? "" : `<p class="links"><a href="/login?tx=${escapeHtml(encodeURIComponent(tx))}">${tHtml(locale, "common.backToSignIn")}</a></p>`

const submit = (locale: Locale, key: Parameters<typeof t>[1]) => `<button type="submit">${tHtml(locale, key)}</button>`

/** "Forgot password?": asks for the address. `tx` (optional) links back to a pending sign-in. */
export const forgotPasswordPage = (
  locale: Locale,
  model: { readonly csrf: string; readonly tx: string | null; readonly email: string | null; readonly error: string | null },
  status = 200
): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "password.forgotTitle"),
      `<h1>${tHtml(locale, "password.forgotTitle")}</h1>` +
        `<p>${tHtml(locale, "password.forgotIntro")}</p>` +
        `<form method="post" action="/password/forgot">` +
        hiddenInput("csrf", model.csrf) +
        (model.tx === null ? "" : hiddenInput("tx", model.tx)) + localeInput(locale) +
        errorLine(model.error) +
        textField({ id: "email", type: "email", label: t(locale, "common.email"), value: model.email ?? "", error: model.error, attributes: `autocomplete="username" required` }) +
        submit(locale, "password.sendReset") + `</form>` + backToSignIn(locale, model.tx)
    ),
    { status }
  )

/** After a reset request: the same words for every address (no account enumeration). */
export const resetLinkSentPage = (locale: Locale, tx: string | null): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "password.sentTitle"),
      `<h1>${tHtml(locale, "password.sentTitle")}</h1><p>${tHtml(locale, "password.sent")}</p>` + backToSignIn(locale, tx)
    )
  )

/** The reset form of the emailed `token`. */
export const resetPasswordPage = (
  locale: Locale,
  model: { readonly token: string; readonly csrf: string; readonly error: string | null },
  status = 200
): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "password.resetTitle"),
      `<h1>${tHtml(locale, "password.resetTitle")}</h1>` +
        `<form method="post" action="/password/reset">` +
        hiddenInput("token", model.token) +
        hiddenInput("csrf", model.csrf) + localeInput(locale) +
        errorLine(model.error) +
        newPasswordFields(locale, model.error) +
        `<p><input id="remove_second_factors" type="checkbox" name="remove_second_factors" value="on"> ` +
        `<label for="remove_second_factors" class="inline">${tHtml(locale, "password.removeFactors")}</label></p>` +
        submit(locale, "password.set") + `</form>`
    ),
    { status }
  )

/** A reset link that is unknown, used or expired. */
export const resetLinkInvalidPage = (locale: Locale): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "password.linkInvalidTitle"),
      `<h1>${tHtml(locale, "password.linkInvalidHeading")}</h1>` + errorLine(t(locale, "password.linkInvalid")) +
        `<p><a href="/password/forgot${uiLocalesSearch(locale)}">${tHtml(locale, "password.askNewLink")}</a></p>`
    ),
    { status: 400 }
  )

/** The signed-in user's change form. */
export const changePasswordPage = (
  locale: Locale,
  model: {
    readonly csrf: string; readonly error: string | null
    /** The step-up window in minutes when this session is older than it (a notice is shown), else null/absent. */
    readonly staleMinutes?: number | null
  },
  status = 200
): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "password.changeTitle"),
      `<h1>${tHtml(locale, "password.changeHeading")}</h1>` + stepUpNotice(locale, model.staleMinutes ?? null) +
        `<form method="post" action="/account/password">` +
        hiddenInput("csrf", model.csrf) +
        errorLine(model.error) +
        textField({ id: "current", type: "password", label: t(locale, "password.current"), error: model.error, attributes: `autocomplete="current-password" required` }) +
        newPasswordFields(locale, model.error) +
        submit(locale, "password.changeSubmit") + `</form>`
    ),
    { status }
  )

/** Done: what changed and what happened to other sessions. */
export const passwordChangedPage = (locale: Locale, message: string): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "password.changedTitle"),
      `<h1>${tHtml(locale, "password.changedTitle")}</h1><p>${escapeHtml(message)}</p>` +
        `<p class="links"><a href="/account">${tHtml(locale, "common.yourAccount")}</a></p>`
    )
  )
