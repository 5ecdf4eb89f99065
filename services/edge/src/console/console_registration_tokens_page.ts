/**
 * Initial access tokens for dynamic client registration (RFC 7591 §3): create (the token
 * on the answer to the creating POST only — identity keeps its hash), list (metadata
 * only), revoke. The `createInitialAccessToken`, `listInitialAccessTokens` and
 * `revokeInitialAccessToken` operations.
 */
import type { InitialAccessTokenInfo } from "@authrim/contracts"
import { Effect } from "effect"
import type { AdminProblem } from "../admin/admin_problem.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { seeOther } from "../http/redirect.ts"
import { randomToken } from "../http/random_token.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, runOperation, tryOperation, type ConsoleCall } from "./console_call.ts"
import { checkboxField, fieldErrorsOf, inputField, notice, problemBanner, textOrNull, timeText } from "./console_forms.ts"
import { consolePage, csrfInput } from "./console_layout.ts"
import { COPY_SCRIPT } from "./console_copy_script.ts"

const tokensPage = Effect.fnUntraced(function*(call: ConsoleCall, created: { token: string; info: InitialAccessTokenInfo } | null, problem: AdminProblem | null) {
  const { locale } = call.frame
  const { tokens } = bodyOf<{ tokens: ReadonlyArray<InitialAccessTokenInfo> }>(yield* runOperation(call, "listInitialAccessTokens"))
  const errors = fieldErrorsOf(problem)
  const form = problem === null ? null : call.form
  const shown = created === null ? "" :
    `<p class="notice" role="status">${tHtml(locale, "console.tokens.once")}</p><h2 id="new-token-label">${tHtml(locale, "console.tokens.token")}</h2>` +
    `<p><code class="secret" id="new-token" aria-labelledby="new-token-label">${escapeHtml(created.token)}</code></p>` +
    `<p><button type="button" data-copy="new-token" data-done="${escapeHtml(t(locale, "console.copied"))}" hidden>${tHtml(locale, "console.copy")}</button></p>`
  const rows = tokens.map((tk) =>
    `<tr><td>${escapeHtml(tk.description || "—")}</td><td>${escapeHtml(timeText(tk.createdAt))}</td><td>${escapeHtml(timeText(tk.expiresAt))}</td>` +
    `<td>${tHtml(locale, tk.singleUse ? "console.yes" : "console.no")}</td><td><form class="quiet" method="post" action="/admin/initial-access-tokens/${escapeHtml(tk.id)}/revoke">` +
    `${csrfInput(call.frame)}<button type="submit">${tHtml(locale, "console.tokens.revoke")}</button></form></td></tr>`).join("")
  return consolePage(call.frame, t(locale, "console.tokens.title"),
    `<h1>${tHtml(locale, "console.tokens.title")}</h1>` + shown +
      notice(call.url.searchParams.get("done") === "revoked" ? t(locale, "console.tokens.revokedNotice") : null) +
      (tokens.length === 0 ? `<p>${tHtml(locale, "console.tokens.none")}</p>` :
        `<div class="scroll"><table><thead><tr><th scope="col">${tHtml(locale, "console.tokens.description")}</th><th scope="col">${tHtml(locale, "console.keys.created")}</th>` +
        `<th scope="col">${tHtml(locale, "console.tokens.expires")}</th><th scope="col">${tHtml(locale, "console.tokens.singleUse")}</th><th scope="col"><span class="muted">—</span></th></tr></thead><tbody>${rows}</tbody></table></div>`) +
      `<h2>${tHtml(locale, "console.tokens.new")}</h2>${problemBanner(locale, problem)}` +
      `<form method="post" action="/admin/initial-access-tokens" novalidate>${csrfInput(call.frame)}<div class="grid">` +
      inputField({ name: "description", label: t(locale, "console.tokens.description"), value: form?.get("description") ?? "", errors }) +
      inputField({ name: "expiresInSeconds", label: t(locale, "console.tokens.lifetime"), value: form?.get("expiresInSeconds") ?? "86400", errors, type: "number" }) +
      `</div>` + checkboxField({ name: "singleUse", label: t(locale, "console.tokens.singleUse"), checked: form?.has("singleUse") ?? true }) +
      `<button type="submit">${tHtml(locale, "console.tokens.create")}</button></form>`,
    { status: problem === null ? (created === null ? 200 : 201) : problem.status, ...(created === null ? {} : { script: { nonce: randomToken(16), source: COPY_SCRIPT } }) })
})

/** `GET /admin/initial-access-tokens`. */
export const registrationTokensPage = (call: ConsoleCall) => tokensPage(call, null, null)

/** `POST /admin/initial-access-tokens`: the new token shown on this answer only. */
export const createRegistrationToken = Effect.fnUntraced(function*(call: ConsoleCall) {
  const lifetime = (call.form.get("expiresInSeconds") ?? "").trim()
  const description = textOrNull(call.form.get("description"))
  const body = {
    ...(description === null ? {} : { description }),
    ...(lifetime === "" ? {} : { expiresInSeconds: /^\d+$/.test(lifetime) ? Number(lifetime) : lifetime }),
    singleUse: call.form.has("singleUse")
  }
  const result = yield* tryOperation(call, "createInitialAccessToken", { body })
  if (!result.ok) return yield* tokensPage(call, null, result.problem)
  return yield* tokensPage(call, bodyOf<{ token: string; info: InitialAccessTokenInfo }>(result.reply), null)
})

/** `POST /admin/initial-access-tokens/{tokenId}/revoke`. */
export const revokeRegistrationToken = Effect.fnUntraced(function*(call: ConsoleCall) {
  const result = yield* tryOperation(call, "revokeInitialAccessToken", { params: { tokenId: call.params["tokenId"]! } })
  if (!result.ok) return yield* tokensPage(call, null, result.problem)
  return seeOther("/admin/initial-access-tokens?done=revoked")
})
