/**
 * The login page: a plain HTML password form (no JavaScript) so that any
 * HTTP client with a cookie jar can sign in — fields `email`, `password`,
 * hidden `tx` (the login transaction) and `csrf` (double-submit token) — and
 * links to the other methods. Only the methods the settings enable are shown
 * (`methods`; absent = all); with none left, a message says so.
 */
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { errorLine, escapeHtml, hiddenInput, layout, textField } from "./html.ts"
import { upstreamButtons, type UpstreamButton } from "./upstream_buttons.ts"
import { uiLocalesQuery } from "../i18n/negotiate_locale.ts"
import type { SignInMethodSettings } from "@authrim/contracts"
import { clientLogo, clientPolicyLinks, type ClientLinks } from "./client_links.ts"

/** What the login page shows. */
export interface LoginPageModel {
  readonly tx: string
  readonly csrf: string
  /** The RP's name, or null for a sign-in to the provider itself (the account page). */
  readonly clientName: string | null
  /** Prefilled email (`login_hint`, or what the user typed before a failed attempt). */
  readonly email: string | null
  /** Shown above the form after a failed attempt. */
  readonly error: string | null
  /** Enabled upstream identity providers ("Sign in with …"); absent or empty: none shown. */
  readonly upstreamProviders?: ReadonlyArray<UpstreamButton>
  /** The sign-in methods the settings enable; absent: all. */
  readonly methods?: SignInMethodSettings
  /** The client's logo and privacy/terms links (https only are shown); absent: none. */
  readonly clientLinks?: ClientLinks
}

const allMethods: SignInMethodSettings = { password: true, passkey: true, magicLink: true, upstream: true }

/** Renders the login page (`status` 401 after a failed attempt). */
export const loginPage = (locale: Locale, model: LoginPageModel, status = 200): Response => {
  const tx = escapeHtml(encodeURIComponent(model.tx))
  const methods = model.methods ?? allMethods
  const providers = methods.upstream ? model.upstreamProviders ?? [] : []
  const none = !methods.password && !methods.passkey && !methods.magicLink && providers.length === 0
  const passwordForm = !methods.password ? (model.error === null ? "" : errorLine(model.error)) :
    `<form method="post" action="/login">` +
    hiddenInput("tx", model.tx) +
    hiddenInput("csrf", model.csrf) +
    errorLine(model.error) +
    textField({
      id: "email", type: "email", label: t(locale, "common.email"), value: model.email ?? "",
      attributes: `autocomplete="username" required`, error: model.error
    }) +
    textField({
      id: "password", type: "password", label: t(locale, "common.password"),
      attributes: `autocomplete="current-password" required`, error: model.error
    }) +
    `<button type="submit">${tHtml(locale, "login.submit")}</button></form>`
  return htmlResponse(
    layout(
      locale,
      t(locale, "login.title"),
      (model.clientName === null ? "" : clientLogo(model.clientName, model.clientLinks)) +
        `<h1>${tHtml(locale, "login.title")}</h1>` +
        `<p class="muted">${tHtml(locale, "login.continueTo", { client: model.clientName ?? t(locale, "login.yourAccount") })}</p>` +
        (none ? `<p class="notice" role="note">${tHtml(locale, "login.noMethods")}</p>` : "") +
        passwordForm +
        (methods.passkey ? `<p class="links"><a href="/login/passkey?tx=${tx}">${tHtml(locale, "login.withPasskey")}</a></p>` : "") +
        (methods.magicLink ? `<p><a href="/login/email?tx=${tx}">${tHtml(locale, "login.emailLink")}</a></p>` : "") +
        (methods.password ? `<p><a href="/password/forgot?tx=${tx}${escapeHtml(uiLocalesQuery(locale))}">${tHtml(locale, "login.forgot")}</a></p>` : "") +
        upstreamButtons(locale, model.tx, providers) +
        (model.clientName === null ? "" : clientPolicyLinks(locale, model.clientName, model.clientLinks))
    ),
    { status }
  )
}
