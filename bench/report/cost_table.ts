/**
 * Authrim's billable operations per operation, per scenario, from the
 * `x-authrim-cost` headers of every HTTP request of the measured ops.
 */
import type { CostCounts } from "../../contracts/src/cost_counts.ts"
import type { BenchResults } from "../results.ts"

const fmt = (n: number | undefined) => {
  const v = n ?? 0
  // Two decimals, but a rare operation (a key fetch every few hundred ops) keeps one significant digit instead of "0.00".
  return v === 0 ? "0" : Number.isInteger(v) ? String(v) : v < 0.01 ? String(Number(v.toPrecision(1))) : v.toFixed(2)
}

const byClass = (map: Readonly<Record<string, number>> | undefined) => {
  const entries = Object.entries(map ?? {}).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b))
  return entries.length === 0 ? "0" : entries.map(([cls, n]) => `${cls} ${fmt(n)}`).join(", ")
}

export const costTable = (results: BenchResults): string => {
  const header = "Authrim billable operations PER OPERATION (a sign-in = authorize→login→consent→code→token→userinfo)"
  if (!results.authrim.meterPresent) return `${header}\n  meter not present: no response carried x-authrim-cost, so every figure below would be 0.`
  const cols = ["scenario".padEnd(19), "worker".padStart(6), "svc".padStart(6), "DO rows r/w".padStart(13), "D1 q".padStart(6), "D1 rows r/w".padStart(13), "KV r/w".padStart(11), "queue".padStart(6), "  DO requests by class"]
  const lines = [header, cols.join(" "), "─".repeat(110)]
  for (const [scenario, c] of Object.entries(results.authrim.costPerOp)) {
    lines.push([
      scenario.padEnd(19),
      fmt(c.workerRequests).padStart(6),
      fmt(c.serviceCalls).padStart(6),
      `${fmt(c.doRowsRead)}/${fmt(c.doRowsWritten)}`.padStart(13),
      fmt(c.d1Queries).padStart(6),
      `${fmt(c.d1RowsRead)}/${fmt(c.d1RowsWritten)}`.padStart(13),
      `${fmt(c.kvReads)}/${fmt(c.kvWrites)}`.padStart(11),
      fmt(c.queueMessages).padStart(6),
      "  " + byClass(c.doRequests)
    ].join(" "))
    // DO rows written are the largest line of the bill: say which objects write them.
    if ((c.doRowsWritten ?? 0) > 0) lines.push(`${"".padEnd(19)}   DO rows written by class: ${byClass(c.doRowsWrittenByClass)}`)
  }
  lines.push("worker = billable Worker requests; svc = service-binding calls (not billed as requests); r/w = read/written.")
  return lines.join("\n")
}
