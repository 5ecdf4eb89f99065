/**
 * Pages of the magic-link sign-in: the "email me a link" form (fields
 * `email`, hidden `tx` and `csrf`), the "check your email" page (identical
 * whether or not the address has an account), and the rejections of a link.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { errorLine, escapeHtml, hiddenInput, layout, textField } from "./html.ts"

const loginLink = (locale: Locale, tx: string) =>
  `<p class="links"><a href="/login?tx=${escapeHtml(encodeURIComponent(tx))}">${tHtml(locale, "common.backToSignIn")}</a></p>`

/** The request form of transaction `tx`. */
export const magicLinkRequestPage = (
  locale: Locale,
  model: { readonly tx: string; readonly csrf: string; readonly email: string | null; readonly error: string | null },
  status = 200
): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "emailLink.title"),
      `<h1>${tHtml(locale, "emailLink.title")}</h1>` +
        `<p>${tHtml(locale, "emailLink.intro")}</p>` +
        `<form method="post" action="/login/email">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        errorLine(model.error) +
        textField({
          id: "email", type: "email", label: t(locale, "common.email"), value: model.email ?? "", error: model.error,
          attributes: `autocomplete="username" required`
        }) +
        `<button type="submit">${tHtml(locale, "emailLink.submit")}</button></form>` +
        loginLink(locale, model.tx)
    ),
    { status }
  )

/** After a request: the same words for every address, so the page does not reveal who has an account. */
export const magicLinkSentPage = (locale: Locale, tx: string): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "emailLink.sentTitle"),
      `<h1>${tHtml(locale, "emailLink.sentTitle")}</h1><p>${tHtml(locale, "emailLink.sent")}</p>` + loginLink(locale, tx)
    )
  )

/** Why a link was not accepted. */
export type MagicLinkRejection = "expired" | "wrong-browser"

/** A rejected link: expired/used (400) or opened in a browser that did not ask for it (403). */
export const magicLinkRejectedPage = (locale: Locale, reason: MagicLinkRejection): Response =>
  reason === "expired"
    ? htmlResponse(
      layout(
        locale,
        t(locale, "emailLink.expiredTitle"),
        `<h1>${tHtml(locale, "emailLink.expiredHeading")}</h1>` + errorLine(t(locale, "emailLink.expired")) +
          `<p>${tHtml(locale, "emailLink.askAgain")}</p>`
      ),
      { status: 400 }
    )
    : htmlResponse(
      layout(
        locale,
        t(locale, "emailLink.wrongBrowserTitle"),
        `<h1>${tHtml(locale, "emailLink.wrongBrowserHeading")}</h1>` + errorLine(t(locale, "emailLink.wrongBrowser")) +
          `<p>${tHtml(locale, "emailLink.wrongBrowserHelp")}</p>`
      ),
      { status: 403 }
    )
