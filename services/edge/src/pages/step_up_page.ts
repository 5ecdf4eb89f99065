/**
 * "Confirm it's you": the login page of a step-up re-authentication (see
 * `account/step_up.ts`). It offers only the method the account must use — the
 * passkey when it has one, else the password (the user's address fixed, TOTP
 * follows when enrolled), else its email link / upstream providers — and
 * says why it is asked.
 */
import type { StepUpMethod } from "../authorize/authorization_transaction.ts"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { errorLine, escapeHtml, hiddenInput, layout, textField } from "./html.ts"
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

const methodPart = (locale: Locale, model: StepUpPageModel): string => {
  switch (model.method) {
    case "passkey":
      return `<p>${tHtml(locale, "stepUp.hasPasskey")}</p>` +
        `<p><a href="/login/passkey?${txQuery(model.tx)}&amp;email=${escapeHtml(encodeURIComponent(model.email))}">` +
        `${tHtml(locale, "stepUp.withPasskey")}</a></p>`
    case "password":
      return `<form method="post" action="/login">` +
        hiddenInput("tx", model.tx) +
        hiddenInput("csrf", model.csrf) +
        hiddenInput("email", model.email) +
        textField({
          id: "password", type: "password", label: t(locale, "common.password"), error: model.error,
          attributes: `autocomplete="current-password" required`
        }) +
        `<button type="submit">${tHtml(locale, "stepUp.submit")}</button></form>`
    case "any":
      return `<p><a href="/login/email?${txQuery(model.tx)}">${tHtml(locale, "login.emailLink")}</a></p>` +
        upstreamButtons(locale, model.tx, model.upstreamProviders)
  }
}

/** Renders the step-up page (`status` 401/403 after a refused attempt). */
export const stepUpPage = (locale: Locale, model: StepUpPageModel, status = 200): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "stepUp.title"),
      `<h1>${tHtml(locale, "stepUp.title")}</h1>` +
        `<p>${tHtml(locale, "stepUp.intro", { email: model.email, minutes: model.maxAgeMinutes })}</p>` +
        errorLine(model.error) +
        methodPart(locale, model)
    ),
    { status }
  )

/** A finished re-authentication that did not meet the step-up (other account, weaker method): nothing changed. */
export const stepUpRefusedPage = (locale: Locale, reason: string, returnTo: string): Response =>
  htmlResponse(
    layout(
      locale,
      t(locale, "stepUp.refusedTitle"),
      `<h1>${tHtml(locale, "stepUp.refusedTitle")}</h1>${errorLine(reason)}` +
        `<p><a href="${escapeHtml(returnTo)}">${tHtml(locale, "stepUp.back")}</a></p>`
    ),
    { status: 403 }
  )

/**
 * The line an account form shows when its session is older than the step-up window: the change
 * will first ask to confirm it's you (then the user comes back and submits again). Empty otherwise.
 */
export const stepUpNotice = (locale: Locale, maxAgeMinutes: number | null): string =>
  maxAgeMinutes === null ? "" : `<p class="notice" role="note">${tHtml(locale, "stepUp.notice", { minutes: maxAgeMinutes })}</p>`
