/**
 * OAuth 2.0 Form Post Response Mode: the authorization response as an
 * auto-submitting HTML form posted to the redirect_uri. The one inline script
 * runs under a per-response CSP nonce; without JavaScript the user presses the
 * button.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"

/** Renders the auto-submitting form for `params` to `redirectUri`. */
export const formPostPage = (redirectUri: string, params: ReadonlyArray<readonly [string, string]>, locale: Locale = "en"): Response => {
  const nonce = crypto.randomUUID().replace(/-/g, "")
  return htmlResponse(
    layout(
      locale,
      t(locale, "formPost.title"),
      `<form method="post" action="${escapeHtml(redirectUri)}">` +
        params.map(([name, value]) => hiddenInput(name, value)).join("") +
        `<noscript><p>${tHtml(locale, "formPost.noScript")}</p></noscript>` +
        `<button type="submit">${tHtml(locale, "common.continue")}</button></form>` +
        `<script nonce="${nonce}">document.forms[0].submit()</script>`
    ),
    { scriptNonce: nonce }
  )
}
