/**
 * The passkey sign-in page (`/login/passkey?tx=…`). The authentication
 * options are embedded in the page (`data-options` of the first form), so
 * the only script is the WebAuthn bridge; the assertion goes back as a form
 * post with the transaction's `tx` and `csrf`. Without an email the
 * browser offers every passkey it holds for this site (discoverable
 * credentials); the second form reloads the page for one email's passkeys.
 */
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"
import { newScriptNonce, passkeySignInScript } from "./passkey_browser_script.ts"

/** What the passkey sign-in page shows. */
export interface PasskeyLoginPageModel {
  readonly tx: string
  readonly csrf: string
  readonly clientName: string
  /** The email of an email-first sign-in, or null (discoverable). */
  readonly email: string | null
  readonly challengeId: string
  /** Options JSON for `navigator.credentials.get`. */
  readonly options: Readonly<Record<string, unknown>>
  readonly error: string | null
}

/** Renders the page (`status` 400/401 after a refused assertion). */
export const passkeyLoginPage = (model: PasskeyLoginPageModel, status = 200): Response => {
  const nonce = newScriptNonce()
  const tx = encodeURIComponent(model.tx)
  return htmlResponse(
    layout(
      "Sign in with a passkey",
      `<h1>Sign in with a passkey</h1><p>to continue to <strong>${escapeHtml(model.clientName)}</strong></p>` +
        (model.error === null ? "" : `<p class="error" role="alert">${escapeHtml(model.error)}</p>`) +
        `<form id="passkey-form" method="post" action="/login/passkey" data-options="${escapeHtml(JSON.stringify(model.options))}">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        hiddenInput("challengeId", model.challengeId) +
        hiddenInput("credential", "") +
        `<button id="passkey-start" type="button">${model.email === null ? "Use a passkey" : `Use a passkey of ${escapeHtml(model.email)}`}</button></form>` +
        `<p id="passkey-status" role="status"></p><noscript><p>Passkeys need JavaScript.</p></noscript>` +
        `<form method="get" action="/login/passkey">` +
        hiddenInput("tx", model.tx) +
        `<label for="email">Or enter your email to use its passkeys</label>` +
        `<input id="email" type="email" name="email" value="${escapeHtml(model.email ?? "")}" autocomplete="username webauthn">` +
        `<button type="submit">Continue</button></form>` +
        `<p><a href="/login?tx=${escapeHtml(tx)}">Sign in with a password instead</a></p>` +
        `<script nonce="${nonce}">${passkeySignInScript}</script>`
    ),
    { status, scriptNonce: nonce }
  )
}
