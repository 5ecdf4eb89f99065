/**
 * The audit trail in the console: the `queryAuditEvents` operation's filters (user,
 * client, event type, from / to as UTC dates), newest first, a "next page" cursor.
 */
import type { AuditEntry } from "@authrim/contracts"
import { Effect } from "effect"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { escapeHtml } from "../pages/html.ts"
import { bodyOf, presentQuery, tryOperation, type ConsoleCall } from "./console_call.ts"
import { fieldErrorsOf, inputField, problemBanner, timeText } from "./console_forms.ts"
import { consolePage } from "./console_layout.ts"

interface AuditPage { readonly events: ReadonlyArray<AuditEntry>; readonly nextCursor: string | null }

const FILTERS = ["userId", "clientId", "type", "from", "to"] as const

/** A `YYYY-MM-DD` date (UTC midnight) as epoch ms; `to` means the end of that day. Anything else is passed through for the operation to refuse. */
const dateBound = (value: string, end: boolean): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  const ms = Date.parse(`${value}T00:00:00Z`)
  return Number.isNaN(ms) ? value : String(ms + (end ? 86_400_000 : 0))
}

/** Rows of audit entries (the dashboard shows the newest few too). */
export const auditTable = (locale: Locale, events: ReadonlyArray<AuditEntry>): string =>
  events.length === 0 ? `<p>${tHtml(locale, "console.audit.none")}</p>` :
    `<div class="scroll"><table><thead><tr>` +
    (["console.audit.at", "console.audit.type", "console.audit.outcome", "console.audit.actor", "console.audit.subject", "console.audit.client", "console.audit.details"] as const)
      .map((key) => `<th scope="col">${tHtml(locale, key)}</th>`).join("") +
    `</tr></thead><tbody>` +
    events.map((e) =>
      `<tr><td>${escapeHtml(timeText(e.at))}</td><td><code>${escapeHtml(e.type)}</code></td><td>${escapeHtml(e.outcome)}</td>` +
      `<td>${escapeHtml(`${e.actor.kind}${e.actor.id === null ? "" : `:${e.actor.id}`}`)}</td>` +
      `<td>${e.userId === null ? (e.subject === null ? "—" : escapeHtml(`${e.subject.kind}:${e.subject.id}`)) : `<a href="/admin/users/${encodeURIComponent(e.userId)}">${escapeHtml(e.userId)}</a>`}</td>` +
      `<td>${escapeHtml(e.clientId ?? "—")}</td><td><small>${escapeHtml(Object.entries(e.details).map(([k, v]) => `${k}=${String(v)}`).join(" "))}</small></td></tr>`
    ).join("") + `</tbody></table></div>`

/** `GET /admin/audit`. */
export const auditPage = Effect.fnUntraced(function*(call: ConsoleCall) {
  const { locale } = call.frame
  const filters = presentQuery(call.url, FILTERS)
  const query: Record<string, string> = { ...filters, limit: "50" }
  if (filters["from"] !== undefined) query["from"] = dateBound(filters["from"], false)
  if (filters["to"] !== undefined) query["to"] = dateBound(filters["to"], true)
  const cursor = call.url.searchParams.get("cursor")
  if (cursor !== null) query["cursor"] = cursor
  const result = yield* tryOperation(call, "queryAuditEvents", { query })
  const errors = result.ok ? new Map<string, string>() : fieldErrorsOf(result.problem)
  const form = `<form method="get" action="/admin/audit"><div class="grid">` +
    inputField({ name: "userId", label: t(locale, "console.audit.userId"), value: filters["userId"] ?? "", errors }) +
    inputField({ name: "clientId", label: t(locale, "console.audit.clientId"), value: filters["clientId"] ?? "", errors }) +
    inputField({ name: "type", label: t(locale, "console.audit.type"), value: filters["type"] ?? "", errors, hint: t(locale, "console.audit.typeHint") }) +
    inputField({ name: "from", label: t(locale, "console.audit.from"), value: filters["from"] ?? "", errors, type: "date" }) +
    inputField({ name: "to", label: t(locale, "console.audit.to"), value: filters["to"] ?? "", errors, type: "date" }) +
    `</div><button type="submit">${tHtml(locale, "console.audit.filter")}</button></form>`
  let list = ""
  if (result.ok) {
    const page = bodyOf<AuditPage>(result.reply)
    list = auditTable(locale, page.events) + (page.nextCursor === null ? "" :
      `<p><a href="/admin/audit?${new URLSearchParams({ ...filters, cursor: page.nextCursor }).toString()}">${tHtml(locale, "console.nextPage")}</a></p>`)
  }
  return consolePage(call.frame, t(locale, "console.audit.title"),
    `<h1>${tHtml(locale, "console.audit.title")}</h1>${result.ok ? "" : problemBanner(locale, result.problem)}${form}${list}`,
    { status: result.ok ? 200 : result.problem.status })
})
