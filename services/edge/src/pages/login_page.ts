/**
 * The password login page: a plain HTML form (no JavaScript) so that any
 * HTTP client with a cookie jar can sign in — fields `email`, `password`,
 * hidden `tx` (the login transaction) and `csrf` (double-submit token).
 */
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"
import { upstreamButtons, type UpstreamButton } from "./upstream_buttons.ts"

/** What the login page shows. */
export interface LoginPageModel {
  readonly tx: string
  readonly csrf: string
  readonly clientName: string
  /** Prefilled email (`login_hint`, or what the user typed before a failed attempt). */
  readonly email: string | null
  /** Shown above the form after a failed attempt. */
  readonly error: string | null
  /** Enabled upstream identity providers ("Sign in with …"); absent or empty: none shown. */
  readonly upstreamProviders?: ReadonlyArray<UpstreamButton>
}

/** Renders the login page (`status` 401 after a failed attempt). */
export const loginPage = (model: LoginPageModel, status = 200): Response =>
  htmlResponse(
    layout(
      "Sign in",
      `<h1>Sign in</h1><p>to continue to <strong>${escapeHtml(model.clientName)}</strong></p>` +
        (model.error === null ? "" : `<p class="error" role="alert">${escapeHtml(model.error)}</p>`) +
        `<p><a href="/login/passkey?tx=${escapeHtml(encodeURIComponent(model.tx))}">Sign in with a passkey</a></p>` +
        `<form method="post" action="/login">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        `<label for="email">Email</label>` +
        `<input id="email" type="email" name="email" value="${escapeHtml(model.email ?? "")}" autocomplete="username" required>` +
        `<label for="password">Password</label>` +
        `<input id="password" type="password" name="password" value="" autocomplete="current-password" required>` +
        `<button type="submit">Sign in</button></form>` +
        `<p><a href="/login/email?tx=${escapeHtml(encodeURIComponent(model.tx))}">Email me a sign-in link</a></p>` +
        `<p><a href="/password/forgot?tx=${escapeHtml(encodeURIComponent(model.tx))}">Forgot password?</a></p>` +
        upstreamButtons(model.tx, model.upstreamProviders)
    ),
    { status }
  )
