/**
 * Logout pages: the confirmation form (RP-Initiated Logout 1.0 §2 — the OP
 * SHOULD ask the user unless it knows the RP's request is for this very
 * session) and the "signed out" page shown when there is no registered
 * `post_logout_redirect_uri` to return to.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"

/** What the confirmation form carries through to `POST /end_session/confirm`. */
export interface LogoutConfirmModel {
  readonly csrf: string
  readonly clientName: string | null
  /** The validated request parameters, re-validated on submit. */
  readonly carried: ReadonlyArray<readonly [string, string]>
}

/** Asks the user whether to sign out; buttons `decision=logout|stay`. */
export const logoutConfirmPage = (locale: Locale, model: LogoutConfirmModel, headers?: HeadersInit): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "logout.title"),
      `<h1>${tHtml(locale, "logout.heading")}</h1><p>${
        model.clientName === null ? tHtml(locale, "logout.ask") : tHtml(locale, "logout.clientAsks", { client: model.clientName })
      }</p><form method="post" action="/end_session/confirm">` +
        hiddenInput("csrf", model.csrf) +
        model.carried.map(([name, value]) => hiddenInput(name, value)).join("") +
        `<button type="submit" name="decision" value="logout">${tHtml(locale, "logout.submit")}</button>` +
        `<button type="submit" name="decision" value="stay">${tHtml(locale, "logout.stay")}</button></form>`
    ),
    headers === undefined ? {} : { headers }
  )

/** The end of a logout without a way back to the RP. */
export const signedOutPage = (locale: Locale, signedOut: boolean, headers?: HeadersInit): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, signedOut ? "logout.signedOutTitle" : "logout.stillTitle"),
      signedOut
        ? `<h1>${tHtml(locale, "logout.signedOut")}</h1><p>${tHtml(locale, "logout.close")}</p>`
        : `<h1>${tHtml(locale, "logout.still")}</h1><p>${tHtml(locale, "logout.nothingChanged")}</p>`
    ),
    headers === undefined ? {} : { headers }
  )
