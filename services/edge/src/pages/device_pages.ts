/**
 * Pages of the device verification flow (RFC 8628 §3.3): entering the user
 * code, confirming what the device asks for (`decision=approve|deny` with
 * hidden `tx` and `csrf`), and the outcome.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { scopeInWords } from "./consent_page.ts"
import { errorLine, escapeHtml, hiddenInput, layout, textField } from "./html.ts"

/** The code entry form (GET, so the result is the same URL as `verification_uri_complete`). */
export const deviceCodeEntryPage = (locale: Locale, error: string | null = null, status = 200): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "device.title"),
      `<h1>${tHtml(locale, "device.title")}</h1>` +
        `<form method="get" action="/device">` +
        errorLine(error) +
        textField({
          id: "user_code", label: t(locale, "device.codeLabel"), error,
          attributes: `autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="XXXX-XXXX" required`
        }) +
        `<button type="submit">${tHtml(locale, "common.continue")}</button></form>`
    ),
    { status }
  )

/** What the confirmation page shows. */
export interface DeviceConfirmModel {
  readonly tx: string
  readonly csrf: string
  readonly clientName: string
  readonly userCode: string
  readonly scopes: ReadonlyArray<string>
}

/** Asks the user to approve or deny the device (RFC 8628 §5.4: show the client, and the code to compare). */
export const deviceConfirmPage = (locale: Locale, model: DeviceConfirmModel): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "device.title"),
      `<h1>${tHtml(locale, "device.confirmHeading", { client: model.clientName })}</h1>` +
        `<p>${tHtml(locale, "device.confirmIntro", { code: model.userCode })}</p>` +
        `<p>${tHtml(locale, "device.asksFor")}</p><ul>` +
        model.scopes.map((s) => `<li>${escapeHtml(scopeInWords(locale, s))}</li>`).join("") + `</ul>` +
        `<form method="post" action="/device">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        `<button type="submit" name="decision" value="approve">${tHtml(locale, "common.allow")}</button>` +
        `<button type="submit" name="decision" value="deny">${tHtml(locale, "common.deny")}</button></form>`
    )
  )

/** The outcome: the device will now receive its tokens (or its refusal) at its next poll. */
export const deviceDonePage = (locale: Locale, approved: boolean): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, approved ? "device.connectedTitle" : "device.deniedTitle"),
      approved
        ? `<h1>${tHtml(locale, "device.connectedTitle")}</h1><p>${tHtml(locale, "device.connected")}</p>`
        : `<h1>${tHtml(locale, "device.deniedTitle")}</h1><p>${tHtml(locale, "device.denied")}</p>`
    )
  )
