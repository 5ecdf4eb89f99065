/**
 * OAuth 2.0 Form Post Response Mode: the authorization response as an
 * auto-submitting HTML form posted to the redirect_uri. The one inline script
 * runs under a per-response CSP nonce; without JavaScript the user presses the
 * button.
 */
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"

/** Renders the auto-submitting form for `params` to `redirectUri`. */
export const formPostPage = (redirectUri: string, params: ReadonlyArray<readonly [string, string]>): Response => {
  const nonce = crypto.randomUUID().replace(/-/g, "")
  return htmlResponse(
    layout(
      "Continue",
      `<form method="post" action="${escapeHtml(redirectUri)}">` +
        params.map(([name, value]) => hiddenInput(name, value)).join("") +
        `<noscript><p>JavaScript is off: press the button to continue.</p></noscript>` +
        `<button type="submit">Continue</button></form>` +
        `<script nonce="${nonce}">document.forms[0].submit()</script>`
    ),
    { scriptNonce: nonce }
  )
}
