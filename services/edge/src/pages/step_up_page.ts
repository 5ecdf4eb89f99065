/**
 * "Confirm it's you": the login page of a step-up re-authentication (see
 * `account/step_up.ts`). It offers only the method the account must use — the
 * passkey when it has one, else the password (the user's address fixed, TOTP
 * follows when enrolled), else its email link / upstream providers — and
 * says why it is asked.
 */
import type { StepUpMethod } from "../authorize/authorization_transaction.ts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"
import { upstreamButtons, type UpstreamButton } from "./upstream_buttons.ts"

/** What the step-up page shows. */
export interface StepUpPageModel {
  readonly tx: string
  readonly csrf: string
  readonly method: StepUpMethod
  /** The signed-in user's address (the re-authentication must be theirs). */
  readonly email: string
  readonly maxAgeMinutes: number
  readonly error: string | null
  readonly upstreamProviders?: ReadonlyArray<UpstreamButton>
}

const txQuery = (tx: string) => `tx=${escapeHtml(encodeURIComponent(tx))}`

const methodPart = (model: StepUpPageModel): string => {
  switch (model.method) {
    case "passkey":
      return `<p>Your account has a passkey, so confirm with it.</p>` +
        `<p><a href="/login/passkey?${txQuery(model.tx)}&amp;email=${escapeHtml(encodeURIComponent(model.email))}">Confirm with your passkey</a></p>`
    case "password":
      return `<form method="post" action="/login">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        hiddenInput("email", model.email) +
        `<label for="password">Password</label>` +
        `<input id="password" type="password" name="password" value="" autocomplete="current-password" required>` +
        `<button type="submit">Confirm</button></form>`
    case "any":
      return `<p><a href="/login/email?${txQuery(model.tx)}">Email me a sign-in link</a></p>` + upstreamButtons(model.tx, model.upstreamProviders)
  }
}

/** Renders the step-up page (`status` 401/403 after a refused attempt). */
export const stepUpPage = (model: StepUpPageModel, status = 200): Response =>
  htmlResponse(
    layout(
      "Confirm it's you",
      `<h1>Confirm it's you</h1>` +
        `<p>Changing the security settings of <strong>${escapeHtml(model.email)}</strong> needs a sign-in from the last ` +
        `${model.maxAgeMinutes} minutes. Sign in again to continue; you will come back to the page you were on.</p>` +
        (model.error === null ? "" : `<p class="error" role="alert">${escapeHtml(model.error)}</p>`) +
        methodPart(model)
    ),
    { status }
  )

/** A finished re-authentication that did not meet the step-up (other account, weaker method): nothing changed. */
export const stepUpRefusedPage = (reason: string, returnTo: string): Response =>
  htmlResponse(
    layout(
      "Not confirmed",
      `<h1>Not confirmed</h1><p class="error" role="alert">${escapeHtml(reason)}</p>` +
        `<p><a href="${escapeHtml(returnTo)}">Back to your account</a></p>`
    ),
    { status: 403 }
  )

/**
 * The line an account form shows when its session is older than the step-up window: the change
 * will first ask to confirm it's you (then the user comes back and submits again). Empty otherwise.
 */
export const stepUpNotice = (maxAgeMinutes: number | null): string =>
  maxAgeMinutes === null
    ? ""
    : `<p class="notice" role="note">You signed in more than ${maxAgeMinutes} minutes ago, so before this change is made ` +
      `you will be asked to confirm it's you; you will come back here to submit it again.</p>`
