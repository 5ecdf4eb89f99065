/**
 * `/account/email` pages: the change form (current address shown, `email` =
 * the new one, hidden double-submit `csrf`), "check your new inbox" (the same
 * words whether or not the address is taken: no account enumeration), and
 * the outcomes of opening the emailed link.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { errorLine, escapeHtml, hiddenInput, layout, textField } from "./html.ts"
import { stepUpNotice } from "./step_up_page.ts"

const accountLink = (locale: Locale) => `<p class="links"><a href="/account">${tHtml(locale, "common.yourAccount")}</a></p>`

/** The change form. */
export const changeEmailPage = (
  locale: Locale,
  model: {
    readonly csrf: string; readonly currentEmail: string; readonly newEmail: string | null; readonly error: string | null
    /** The step-up window in minutes when this session is older than it (a notice is shown), else null/absent. */
    readonly staleMinutes?: number | null
  },
  status = 200
): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "accountEmail.title"),
      `<h1>${tHtml(locale, "accountEmail.heading")}</h1>` +
        `<p>${tHtml(locale, "accountEmail.intro", { email: model.currentEmail })}</p>` +
        stepUpNotice(locale, model.staleMinutes ?? null) +
        `<form method="post" action="/account/email">` +
        hiddenInput("csrf", model.csrf) +
        errorLine(model.error) +
        textField({
          id: "email", type: "email", label: t(locale, "accountEmail.newLabel"), value: model.newEmail ?? "", error: model.error,
          attributes: `autocomplete="email" required`
        }) +
        `<button type="submit">${tHtml(locale, "accountEmail.submit")}</button></form>` +
        accountLink(locale)
    ),
    { status }
  )

/** After a request: the same words for every address. */
export const emailChangeSentPage = (locale: Locale, minutes: number): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "accountEmail.sentTitle"),
      `<h1>${tHtml(locale, "accountEmail.sentTitle")}</h1><p>${tHtml(locale, "accountEmail.sent", { minutes })}</p>` + accountLink(locale)
    )
  )

/** The link worked. */
export const emailChangedPage = (locale: Locale, email: string): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "accountEmail.changedTitle"),
      `<h1>${tHtml(locale, "accountEmail.changedTitle")}</h1><p>${tHtml(locale, "accountEmail.changed", { email })}</p>` + accountLink(locale)
    )
  )

/** The link is unknown, used or expired (400), or its address belongs to another account now (409). */
export const emailChangeFailedPage = (locale: Locale, reason: "invalid" | "taken"): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "accountEmail.failedTitle"),
      `<h1>${tHtml(locale, "accountEmail.failedHeading")}</h1>` +
        errorLine(t(locale, reason === "taken" ? "accountEmail.taken" : "accountEmail.invalid")) +
        `<p><a href="/account/email">${tHtml(locale, "accountEmail.askAgain")}</a></p>`
    ),
    { status: reason === "taken" ? 409 : 400 }
  )
