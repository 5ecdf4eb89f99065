/**
 * The second-factor page of a sign-in: one field, `code`, that takes the
 * 6-digit code of the user's authenticator app or one of their recovery
 * codes; hidden `mfa` (the pending step) and `csrf`. Plain HTML, no script.
 */
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"

/** What the page shows. */
export interface SecondFactorPageModel {
  readonly mfa: string
  readonly csrf: string
  readonly error: string | null
}

/** Renders the page (`status` 401 after a wrong code, 429 when rate limited). */
export const secondFactorPage = (model: SecondFactorPageModel, status = 200): Response =>
  htmlResponse(
    layout(
      "Two-step verification",
      `<h1>Two-step verification</h1><p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>` +
        (model.error === null ? "" : `<p class="error" role="alert">${escapeHtml(model.error)}</p>`) +
        `<form method="post" action="/login/totp">` +
        hiddenInput("mfa", model.mfa) +
        hiddenInput("csrf", model.csrf) +
        `<label for="code">Code</label>` +
        `<input id="code" type="text" name="code" value="" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" required>` +
        `<button type="submit">Verify</button></form>`
    ),
    { status }
  )
