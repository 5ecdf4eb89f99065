/**
 * Password recovery and change pages (plain forms, hidden `csrf`):
 * "Forgot password?" (`email`), the reset form (`password`, `confirm`, hidden
 * `token`, checkbox `remove_second_factors`, unchecked by default), the account's change form (`current`, `password`, `confirm`), and
 * their outcomes.
 */
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"
import { stepUpNotice } from "./step_up_page.ts"

const errorLine = (error: string | null) => (error === null ? "" : `<p class="error" role="alert">${escapeHtml(error)}</p>`)

const newPasswordFields =
  `<label for="password">New password</label>` +
  `<input id="password" type="password" name="password" value="" autocomplete="new-password" minlength="8" required>` +
  `<label for="confirm">Repeat the new password</label>` +
  `<input id="confirm" type="password" name="confirm" value="" autocomplete="new-password" minlength="8" required>`

const backToSignIn = (tx: string | null) => (tx === null ? "" : `<p><a href="/login?tx=${escapeHtml(encodeURIComponent(tx))}">Back to sign in</a></p>`)

/** "Forgot password?": asks for the address. `tx` (optional) links back to a pending sign-in. */
export const forgotPasswordPage = (
  model: { readonly csrf: string; readonly tx: string | null; readonly email: string | null; readonly error: string | null },
  status = 200
): Response =>
  htmlResponse(
    layout(
      "Reset your password",
      `<h1>Reset your password</h1>` + errorLine(model.error) +
        `<p>Enter your account's email address and we will send you a link to choose a new password.</p>` +
        `<form method="post" action="/password/forgot">` +
        hiddenInput("csrf", model.csrf) +
        (model.tx === null ? "" : hiddenInput("tx", model.tx)) +
        `<label for="email">Email</label>` +
        `<input id="email" type="email" name="email" value="${escapeHtml(model.email ?? "")}" autocomplete="username" required>` +
        `<button type="submit">Send reset link</button></form>` + backToSignIn(model.tx)
    ),
    { status }
  )

/** After a reset request: the same words for every address (no account enumeration). */
export const resetLinkSentPage = (tx: string | null): Response =>
  htmlResponse(
    layout(
      "Check your email",
      `<h1>Check your email</h1><p>If an account uses that address, a link to reset its password is on its way. ` +
        `It works once, for 1 hour.</p>` + backToSignIn(tx)
    )
  )

/** The reset form of the emailed `token`. */
export const resetPasswordPage = (model: { readonly token: string; readonly csrf: string; readonly error: string | null }, status = 200): Response =>
  htmlResponse(
    layout(
      "Choose a new password",
      `<h1>Choose a new password</h1>` + errorLine(model.error) +
        `<form method="post" action="/password/reset">` +
        hiddenInput("token", model.token) +
        hiddenInput("csrf", model.csrf) +
        newPasswordFields +
        `<p><input id="remove_second_factors" type="checkbox" name="remove_second_factors" value="on">` +
        `<label for="remove_second_factors" style="display:inline">Also remove all my passkeys and two-step verification ` +
        `(choose this if you lost the device they are on; you can set them up again after signing in)</label></p>` +
        `<button type="submit">Set password</button></form>`
    ),
    { status }
  )

/** A reset link that is unknown, used or expired. */
export const resetLinkInvalidPage = (): Response =>
  htmlResponse(
    layout(
      "Reset link expired",
      `<h1>This reset link cannot be used</h1>` +
        `<p class="error" role="alert">The link has expired or was already used. Reset links work once, for 1 hour, ` +
        `and asking for a new one cancels the older ones.</p>` +
        `<p><a href="/password/forgot">Ask for a new link</a></p>`
    ),
    { status: 400 }
  )

/** The signed-in user's change form. */
export const changePasswordPage = (
  model: {
    readonly csrf: string; readonly error: string | null
    /** The step-up window in minutes when this session is older than it (a notice is shown), else null/absent. */
    readonly staleMinutes?: number | null
  },
  status = 200
): Response =>
  htmlResponse(
    layout(
      "Change password",
      `<h1>Change your password</h1>` + errorLine(model.error) + stepUpNotice(model.staleMinutes ?? null) +
        `<form method="post" action="/account/password">` +
        hiddenInput("csrf", model.csrf) +
        `<label for="current">Current password</label>` +
        `<input id="current" type="password" name="current" value="" autocomplete="current-password" required>` +
        newPasswordFields +
        `<button type="submit">Change password</button></form>`
    ),
    { status }
  )

/** Done: what changed and what happened to other sessions. */
export const passwordChangedPage = (message: string): Response =>
  htmlResponse(layout("Password changed", `<h1>Password changed</h1><p>${escapeHtml(message)}</p><p><a href="/account">Your account</a></p>`))
