/**
 * The passkey sign-in page (`/login/passkey?tx=…`). The authentication
 * options are embedded in the page (`data-options` of the first form), so
 * the only script is the WebAuthn bridge; the assertion goes back as a form
 * post with the transaction's `tx` and `csrf`. Without an email the
 * browser offers every passkey it holds for this site (discoverable
 * credentials); the second form reloads the page for one email's passkeys.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { errorLine, escapeHtml, hiddenInput, layout, textField } from "./html.ts"
import { newScriptNonce, passkeySignInScript } from "./passkey_browser_script.ts"

/** What the passkey sign-in page shows. */
export interface PasskeyLoginPageModel {
  readonly tx: string
  readonly csrf: string
  readonly clientName: string | null
  /** The email of an email-first sign-in, or null (discoverable). */
  readonly email: string | null
  readonly challengeId: string
  /** Options JSON for `navigator.credentials.get`. */
  readonly options: Readonly<Record<string, unknown>>
  readonly error: string | null
}

/** Renders the page (`status` 400/401 after a refused assertion). */
export const passkeyLoginPage = (locale: Locale, model: PasskeyLoginPageModel, status = 200): Response => {
  const nonce = newScriptNonce()
  const tx = encodeURIComponent(model.tx)
  return htmlResponse(
    layout(
      locale,
      t(locale, "passkeyLogin.title"),
      `<h1>${tHtml(locale, "passkeyLogin.title")}</h1>` +
        `<p class="muted">${tHtml(locale, "login.continueTo", { client: model.clientName ?? t(locale, "login.yourAccount") })}</p>` +
        errorLine(model.error) +
        `<form id="passkey-form" method="post" action="/login/passkey" data-options="${escapeHtml(JSON.stringify(model.options))}">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        hiddenInput("challengeId", model.challengeId) +
        hiddenInput("credential", "") +
        `<button id="passkey-start" class="primary" type="button">${
          model.email === null ? tHtml(locale, "passkeyLogin.use") : tHtml(locale, "passkeyLogin.useFor", { email: model.email })
        }</button></form>` +
        `<p id="passkey-status" role="status"></p><noscript><p>${tHtml(locale, "passkeyLogin.needsScript")}</p></noscript>` +
        `<form method="get" action="/login/passkey">` +
        hiddenInput("tx", model.tx) +
        textField({ id: "email", type: "email", label: t(locale, "passkeyLogin.emailLabel"), value: model.email ?? "", attributes: `autocomplete="username webauthn"` }) +
        `<button type="submit">${tHtml(locale, "common.continue")}</button></form>` +
        `<p class="links"><a href="/login?tx=${escapeHtml(tx)}">${tHtml(locale, "passkeyLogin.usePassword")}</a></p>` +
        `<script nonce="${nonce}">${passkeySignInScript(t(locale, "common.passkeyScriptFailed"))}</script>`
    ),
    { status, scriptNonce: nonce }
  )
}
