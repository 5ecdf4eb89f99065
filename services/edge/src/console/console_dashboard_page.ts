/**
 * The console's home: sign-ins per UTC day over the last 14 days (the `signInsPerDay`
 * operation: one GROUP BY over the audit trail) as a bar chart in HTML/CSS with the
 * numbers as text, the number of live sessions (`activeSessions`: one indexed COUNT over the
 * session service's D1 copy), and the newest audit events.
 */
import type { AuditEntry } from "@authrim/contracts"
import { Effect } from "effect"
import type { Locale } from "../i18n/locale.ts"
import { t, tHtml } from "../i18n/translate.ts"
import { escapeHtml } from "../pages/html.ts"
import { auditTable } from "./console_audit_page.ts"
import { bodyOf, tryOperation, type ConsoleCall } from "./console_call.ts"
import { problemBanner } from "./console_forms.ts"
import { consolePage } from "./console_layout.ts"

interface DayCount { readonly day: string; readonly count: number }

/** The chart: one row per day, the bar's width a 5 % step class (no style attribute under the CSP). */
const chart = (locale: Locale, days: ReadonlyArray<DayCount>): string => {
  const max = Math.max(1, ...days.map((d) => d.count))
  const total = days.reduce((sum, d) => sum + d.count, 0)
  return `<p>${tHtml(locale, "console.dashboard.total", { total, days: days.length })}</p>` +
    `<ul class="chart" aria-label="${escapeHtml(t(locale, "console.dashboard.signIns"))}">` +
    days.map((d) => `<li><span>${escapeHtml(d.day)}</span><span class="track" aria-hidden="true"><span class="fill w${Math.round((d.count / max) * 20) * 5}"></span></span><span>${d.count}</span></li>`).join("") +
    `</ul>`
}

/** `GET /admin`. */
export const dashboardPage = Effect.fnUntraced(function*(call: ConsoleCall) {
  const { locale } = call.frame
  const [stats, sessions, recent] = yield* Effect.all([
    tryOperation(call, "signInsPerDay", { query: { days: "14" } }),
    tryOperation(call, "activeSessions", {}),
    tryOperation(call, "queryAuditEvents", { query: { limit: "10" } })
  ], { concurrency: 3 })
  return consolePage(call.frame, t(locale, "console.dashboard.title"),
    `<h1>${tHtml(locale, "console.dashboard.title")}</h1>` +
      `<p class="muted">${tHtml(locale, "console.dashboard.signedInAs", { userId: call.admin.userId, permissions: call.admin.permissions.join(", ") })}</p>` +
      `<h2>${tHtml(locale, "console.dashboard.signIns")}</h2>` +
      (stats.ok ? chart(locale, bodyOf<{ days: ReadonlyArray<DayCount> }>(stats.reply).days) : problemBanner(locale, stats.problem)) +
      `<h2>${tHtml(locale, "console.dashboard.sessions")}</h2>` +
      (sessions.ok ? `<p>${tHtml(locale, "console.dashboard.sessionsActive", { active: bodyOf<{ active: number }>(sessions.reply).active })}</p>`
        : problemBanner(locale, sessions.problem)) +
      `<h2>${tHtml(locale, "console.dashboard.recent")}</h2>` +
      (recent.ok ? auditTable(locale, bodyOf<{ events: ReadonlyArray<AuditEntry> }>(recent.reply).events) + `<p><a href="/admin/audit">${tHtml(locale, "console.dashboard.allAudit")}</a></p>`
        : problemBanner(locale, recent.problem)))
})
