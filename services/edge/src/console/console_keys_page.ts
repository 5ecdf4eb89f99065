/** Signing keys in the console: the public metadata of every published key, and "rotate now" (the `rotateKeys` operation). */
import type { KeyInfo } from "@authrim/contracts"

type Key = typeof KeyInfo.Type
import { Effect } from "effect"
import { t, tHtml } from "../i18n/translate.ts"
import { seeOther } from "../http/redirect.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, runOperation, tryOperation, type ConsoleCall } from "./console_call.ts"
import { notice, problemBanner, timeText } from "./console_forms.ts"
import { consolePage, csrfInput } from "./console_layout.ts"
import type { AdminProblem } from "../admin/admin_problem.ts"

const keysPage = Effect.fnUntraced(function*(call: ConsoleCall, problem: AdminProblem | null) {
  const { locale } = call.frame
  const keys = bodyOf<{ keys: ReadonlyArray<Key> }>(yield* runOperation(call, "listKeys")).keys
  return consolePage(call.frame, t(locale, "console.keys.title"),
    `<h1>${tHtml(locale, "console.keys.title")}</h1>${problemBanner(locale, problem)}` +
      notice(call.url.searchParams.get("done") === "rotated" ? t(locale, "console.keys.rotatedNotice") : null) +
      `<div class="scroll"><table><thead><tr><th scope="col">kid</th><th scope="col">alg</th><th scope="col">${tHtml(locale, "console.keys.state")}</th>` +
      `<th scope="col">${tHtml(locale, "console.keys.created")}</th><th scope="col">${tHtml(locale, "console.keys.retires")}</th></tr></thead><tbody>` +
      keys.map((k) => `<tr><td><code>${escapeHtml(k.kid)}</code></td><td>${escapeHtml(k.alg)}</td><td>${tHtml(locale, k.active ? "console.keys.active" : "console.keys.retired")}</td>` +
        `<td>${escapeHtml(timeText(k.createdAt))}</td><td>${escapeHtml(timeText(k.retiresAt))}</td></tr>`).join("") + `</tbody></table></div>` +
      `<form class="quiet" method="post" action="/admin/keys/rotate">${csrfInput(call.frame)}<p>${tHtml(locale, "console.keys.rotateHint")}</p>` +
      `<button type="submit">${tHtml(locale, "console.keys.rotate")}</button></form>`,
    { status: problem === null ? 200 : problem.status })
})

/** `GET /admin/keys`. */
export const keysListPage = (call: ConsoleCall) => keysPage(call, null)

/** `POST /admin/keys/rotate`. */
export const rotateKeysNow = Effect.fnUntraced(function*(call: ConsoleCall) {
  const result = yield* tryOperation(call, "rotateKeys")
  return result.ok ? seeOther("/admin/keys?done=rotated") : yield* keysPage(call, result.problem)
})
