/**
 * Logout pages: the confirmation form (RP-Initiated Logout 1.0 §2 — the OP
 * SHOULD ask the user unless it knows the RP's request is for this very
 * session) and the "signed out" page shown when there is no registered
 * `post_logout_redirect_uri` to return to.
 */
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
export const logoutConfirmPage = (model: LogoutConfirmModel, headers?: HeadersInit): Response =>
  htmlResponse(
    layout(
      "Sign out",
      `<h1>Sign out?</h1><p>${
        model.clientName === null ? "Do you want to sign out?" : `<strong>${escapeHtml(model.clientName)}</strong> asks you to sign out.`
      }</p><form method="post" action="/end_session/confirm">` +
        hiddenInput("csrf", model.csrf) +
        model.carried.map(([name, value]) => hiddenInput(name, value)).join("") +
        `<button type="submit" name="decision" value="logout">Sign out</button>` +
        `<button type="submit" name="decision" value="stay">Stay signed in</button></form>`
    ),
    headers === undefined ? {} : { headers }
  )

/** The end of a logout without a way back to the RP. */
export const signedOutPage = (signedOut: boolean, headers?: HeadersInit): Response =>
  htmlResponse(
    layout(
      signedOut ? "Signed out" : "Still signed in",
      signedOut
        ? `<h1>You are signed out</h1><p>You can close this window.</p>`
        : `<h1>You are still signed in</h1><p>Nothing was changed. You can close this window.</p>`
    ),
    headers === undefined ? {} : { headers }
  )
