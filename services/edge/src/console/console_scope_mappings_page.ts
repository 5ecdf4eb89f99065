/**
 * Scope mappings in the console (issue 12 §2): which claim a granted scope releases.
 * One page: the mappings grouped by scope (each with a delete button), and a form adding
 * (or replacing) one — its source picked from what `GET /scope-mappings/sources` allows
 * (the `users` columns of the allow-list and the defined custom fields). Mappings are
 * unversioned (PUT is idempotent), so there is no If-Match here.
 */
import type { ScopeMapping } from "@authrim/contracts"
import { Effect } from "effect"
import type { AdminProblem } from "../admin/admin_problem.ts"
import type { MessageKey } from "../i18n/messages_en.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { seeOther } from "../http/redirect.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, runOperation, tryOperation, type ConsoleCall } from "./console_call.ts"
import { fieldErrorsOf, inputField, notice, problemBanner, selectField } from "./console_forms.ts"
import { consolePage, csrfInput } from "./console_layout.ts"

const PAGE = "/admin/scope-mappings"

interface Sources {
  readonly userColumns: ReadonlyArray<string>
  readonly customFields: ReadonlyArray<string>
  readonly protectedClaims: ReadonlyArray<string>
  readonly protectedScopes: ReadonlyArray<string>
}

/** A source as one select value: `users:<column>` or `user_custom_fields:<name>`. */
const sourceValue = (table: string, column: string) => `${table}:${column}`

const DONE: Readonly<Record<string, MessageKey>> = { saved: "console.scopeMappings.savedNotice", deleted: "console.scopeMappings.deletedNotice" }

const mappingsPage = Effect.fnUntraced(function*(call: ConsoleCall, posted: URLSearchParams | null, problem: AdminProblem | null) {
  const { locale } = call.frame
  const [mappingsReply, sourcesReply] = yield* Effect.all([runOperation(call, "listScopeMappings"), runOperation(call, "listScopeMappingSources")], { concurrency: 2 })
  const { mappings } = bodyOf<{ mappings: ReadonlyArray<ScopeMapping> }>(mappingsReply)
  const sources = bodyOf<Sources>(sourcesReply)
  const errors = new Map(fieldErrorsOf(problem))
  const sourceError = errors.get("sourceColumn") ?? errors.get("sourceTable")
  if (sourceError !== undefined) errors.set("source", sourceError)
  const csrf = csrfInput(call.frame)
  const byScope = new Map<string, Array<ScopeMapping>>()
  for (const mapping of mappings) byScope.set(mapping.scope, [...(byScope.get(mapping.scope) ?? []), mapping])
  const sourceText = (m: ScopeMapping) =>
    m.sourceTable === "user_custom_fields" ? t(locale, "console.scopeMappings.customField", { name: m.sourceColumn })
      : m.sourceTable === "user_roles" ? t(locale, "console.scopeMappings.roles") : t(locale, "console.scopeMappings.userColumn", { name: m.sourceColumn })
  const groups = [...byScope.entries()].map(([scope, list]) =>
    `<section aria-labelledby="scope-${escapeHtml(scope)}"><h2 id="scope-${escapeHtml(scope)}">${tHtml(locale, "console.scopeMappings.scope")}: <code>${escapeHtml(scope)}</code></h2>` +
    `<div class="scroll"><table><thead><tr><th scope="col">${tHtml(locale, "console.scopeMappings.claim")}</th><th scope="col">${tHtml(locale, "console.scopeMappings.source")}</th>` +
    `<th scope="col"><span class="muted">—</span></th></tr></thead><tbody>` +
    list.map((m) => {
      const action = `${PAGE}/${encodeURIComponent(m.scope)}/${encodeURIComponent(m.claimName)}/delete`
      const removable = m.sourceTable !== "user_roles"
      return `<tr><td><code>${escapeHtml(m.claimName)}</code></td><td>${escapeHtml(sourceText(m))}</td><td>` +
        (removable ? `<form class="quiet" method="post" action="${escapeHtml(action)}">${csrf}<button type="submit" aria-label="${escapeHtml(t(locale, "console.scopeMappings.deleteOne", { scope: m.scope, claim: m.claimName }))}">${tHtml(locale, "console.scopeMappings.delete")}</button></form>` : `<span class="muted">${tHtml(locale, "console.scopeMappings.fixed")}</span>`) +
        `</td></tr>`
    }).join("") + `</tbody></table></div></section>`).join("")
  const options: Array<readonly [string, string]> = [
    ...sources.userColumns.map((column) => [sourceValue("users", column), t(locale, "console.scopeMappings.userColumn", { name: column })] as const),
    ...sources.customFields.map((name) => [sourceValue("user_custom_fields", name), t(locale, "console.scopeMappings.customField", { name })] as const)
  ]
  const done = DONE[call.url.searchParams.get("done") ?? ""]
  return consolePage(call.frame, t(locale, "console.scopeMappings.title"),
    `<h1>${tHtml(locale, "console.scopeMappings.title")}</h1>` + notice(done === undefined ? null : t(locale, done)) +
      `<p class="muted">${tHtml(locale, "console.scopeMappings.intro")}</p>` +
      (mappings.length === 0 ? `<p>${tHtml(locale, "console.scopeMappings.none")}</p>` : groups) +
      `<h2>${tHtml(locale, "console.scopeMappings.new")}</h2>${problemBanner(locale, problem)}` +
      `<form method="post" action="${PAGE}" novalidate>${csrf}<div class="grid">` +
      inputField({ name: "scope", label: t(locale, "console.scopeMappings.scope"), value: posted?.get("scope") ?? "", errors, attributes: `required spellcheck="false"`,
        hint: t(locale, "console.scopeMappings.protectedScopes", { scopes: sources.protectedScopes.join(", ") }) }) +
      inputField({ name: "claimName", label: t(locale, "console.scopeMappings.claim"), value: posted?.get("claimName") ?? "", errors, attributes: `required spellcheck="false"`,
        hint: t(locale, "console.scopeMappings.protectedClaims") }) +
      selectField({ name: "source", label: t(locale, "console.scopeMappings.source"), value: posted?.get("source") ?? "", errors, options }) +
      `</div><button type="submit">${tHtml(locale, "console.scopeMappings.add")}</button></form>`,
    { status: problem === null ? 200 : problem.status })
})

/** `GET /admin/scope-mappings`. */
export const scopeMappingsPage = (call: ConsoleCall) => mappingsPage(call, null, null)

/** `POST /admin/scope-mappings`: create or replace the mapping of (scope, claim). */
export const addScopeMapping = Effect.fnUntraced(function*(call: ConsoleCall) {
  const source = call.form.get("source") ?? ""
  const colon = source.indexOf(":")
  const body = { sourceTable: colon < 0 ? source : source.slice(0, colon), sourceColumn: colon < 0 ? "" : source.slice(colon + 1) }
  const params = { scope: (call.form.get("scope") ?? "").trim(), claimName: (call.form.get("claimName") ?? "").trim() }
  const result = yield* tryOperation(call, "putScopeMapping", { params, body })
  if (result.ok) return seeOther(`${PAGE}?done=saved`)
  return yield* mappingsPage(call, call.form, result.problem)
})

/** `POST /admin/scope-mappings/{scope}/{claimName}/delete`. */
export const deleteScopeMapping = Effect.fnUntraced(function*(call: ConsoleCall) {
  const result = yield* tryOperation(call, "deleteScopeMapping", { params: { scope: call.params["scope"]!, claimName: call.params["claimName"]! } })
  if (result.ok) return seeOther(`${PAGE}?done=deleted`)
  return yield* mappingsPage(call, null, result.problem)
})
