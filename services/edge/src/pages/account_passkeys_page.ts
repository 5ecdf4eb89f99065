/**
 * The account page's passkey section (`/account/passkeys`): the user's
 * passkeys with rename and remove forms, and an "add" form whose
 * registration options are embedded (`data-options` of the first form).
 * Every form carries the browser's CSRF token.
 */
import type { Passkey } from "@authrim/contracts"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { htmlResponse } from "../http/html_response.ts"
import { errorLine, escapeHtml, hiddenInput, layout, textField } from "./html.ts"
import { newScriptNonce, passkeyRegistrationScript } from "./passkey_browser_script.ts"

/** What the page shows. */
export interface AccountPasskeysPageModel {
  readonly csrf: string
  readonly passkeys: ReadonlyArray<Passkey>
  readonly challengeId: string
  /** Options JSON for `navigator.credentials.create`. */
  readonly options: Readonly<Record<string, unknown>>
  readonly error: string | null
}

const when = (locale: Locale, ms: number | null) =>
  ms === null ? t(locale, "passkeys.never") : t(locale, "common.utc", { time: new Date(ms).toISOString().slice(0, 16).replace("T", " ") })

const passkeyRow = (locale: Locale, csrf: string, passkey: Passkey, index: number) =>
  `<li><strong>${escapeHtml(passkey.name ?? t(locale, "passkeys.defaultName", { number: index + 1 }))}</strong> — ` +
  `<small>${tHtml(locale, "passkeys.details", { added: when(locale, passkey.createdAt), used: when(locale, passkey.lastUsedAt) })}</small>` +
  `<form method="post" action="/account/passkeys">` +
  hiddenInput("csrf", csrf) + hiddenInput("action", "rename") + hiddenInput("credentialId", passkey.credentialId) +
  `<label>${tHtml(locale, "passkeys.newName")} <input type="text" name="name" maxlength="64" required></label>` +
  `<button type="submit">${tHtml(locale, "passkeys.rename")}</button></form>` +
  `<form method="post" action="/account/passkeys">` +
  hiddenInput("csrf", csrf) + hiddenInput("action", "remove") + hiddenInput("credentialId", passkey.credentialId) +
  `<button type="submit">${tHtml(locale, "passkeys.remove")}</button></form></li>`

/** Renders the page. */
export const accountPasskeysPage = (locale: Locale, model: AccountPasskeysPageModel, status = 200): Response => {
  const nonce = newScriptNonce()
  return htmlResponse(
    layout(
      locale,
      t(locale, "passkeys.title"),
      `<h1>${tHtml(locale, "passkeys.title")}</h1>` +
        errorLine(model.error) +
        `<form id="passkey-form" method="post" action="/account/passkeys" data-options="${escapeHtml(JSON.stringify(model.options))}">` +
        hiddenInput("csrf", model.csrf) + hiddenInput("action", "add") + hiddenInput("challengeId", model.challengeId) + hiddenInput("credential", "") +
        textField({ id: "passkey-name", name: "name", label: t(locale, "passkeys.nameLabel"), attributes: `maxlength="64"` }) +
        `<button id="passkey-start" class="primary" type="button">${tHtml(locale, "passkeys.add")}</button></form>` +
        `<p id="passkey-status" role="status"></p>` +
        (model.passkeys.length === 0
          ? `<p>${tHtml(locale, "passkeys.none")}</p>`
          : `<ul>${model.passkeys.map((p, i) => passkeyRow(locale, model.csrf, p, i)).join("")}</ul>`) +
        `<p class="links"><a href="/account">${tHtml(locale, "common.yourAccount")}</a></p>` +
        `<script nonce="${nonce}">${passkeyRegistrationScript(t(locale, "common.passkeyScriptFailed"))}</script>`
    ),
    { status, scriptNonce: nonce }
  )
}
