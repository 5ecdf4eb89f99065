/**
 * The account page's passkey section (`/account/passkeys`): the user's
 * passkeys with rename and remove forms, and an "add" form whose
 * registration options are embedded (`data-options` of the first form).
 * Every form carries the browser's CSRF token.
 */
import type { Passkey } from "@authrim/contracts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, hiddenInput, layout } from "./html.ts"
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

const when = (ms: number | null) => (ms === null ? "never" : new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC")

const passkeyRow = (csrf: string, passkey: Passkey, index: number) =>
  `<li><strong>${escapeHtml(passkey.name ?? `Passkey ${index + 1}`)}</strong> — added ${when(passkey.createdAt)}, last used ${when(passkey.lastUsedAt)}` +
  `<form method="post" action="/account/passkeys">` +
  hiddenInput("csrf", csrf) + hiddenInput("action", "rename") + hiddenInput("credentialId", passkey.credentialId) +
  `<label>New name <input type="text" name="name" maxlength="64" required></label><button type="submit">Rename</button></form>` +
  `<form method="post" action="/account/passkeys">` +
  hiddenInput("csrf", csrf) + hiddenInput("action", "remove") + hiddenInput("credentialId", passkey.credentialId) +
  `<button type="submit">Remove</button></form></li>`

/** Renders the page. */
export const accountPasskeysPage = (model: AccountPasskeysPageModel, status = 200): Response => {
  const nonce = newScriptNonce()
  return htmlResponse(
    layout(
      "Passkeys",
      `<h1>Passkeys</h1>` +
        (model.error === null ? "" : `<p class="error" role="alert">${escapeHtml(model.error)}</p>`) +
        `<form id="passkey-form" method="post" action="/account/passkeys" data-options="${escapeHtml(JSON.stringify(model.options))}">` +
        hiddenInput("csrf", model.csrf) + hiddenInput("action", "add") + hiddenInput("challengeId", model.challengeId) + hiddenInput("credential", "") +
        `<label for="passkey-name">Name (optional)</label><input id="passkey-name" type="text" name="name" maxlength="64">` +
        `<button id="passkey-start" type="button">Add a passkey</button></form>` +
        `<p id="passkey-status" role="status"></p>` +
        (model.passkeys.length === 0
          ? `<p>You have no passkeys yet.</p>`
          : `<ul>${model.passkeys.map((p, i) => passkeyRow(model.csrf, p, i)).join("")}</ul>`) +
        `<script nonce="${nonce}">${passkeyRegistrationScript}</script>`
    ),
    { status, scriptNonce: nonce }
  )
}
