/**
 * The 10 M MAU cost model: measured billable operations per scenario (the
 * `x-authrim-cost` bills the bench collected) × the usage profile × list
 * prices = dollars per month, line by line, beside the analysis' estimate.
 */
import type { CostCounts } from "../../contracts/src/cost_counts.ts"
import { analysisEstimate, prices } from "./prices.ts"
import { profile, secondsPerMonth } from "./profile.ts"

/** Average billable operations per operation of each scenario (as measured by the bench). */
export type CostPerOp = Readonly<Record<string, CostCounts>>

/** One line of the bill. */
export interface CostLine {
  readonly item: string
  readonly units: number
  readonly unit: string
  readonly unitPriceUsd: number
  readonly monthlyUsd: number
  /** How the units were obtained: measured by the meter, or modelled from a stated assumption. */
  readonly basis: "measured" | "modelled"
}

/** The model's answer. */
export interface CostReport {
  readonly operationsPerMonth: Readonly<Record<string, number>>
  readonly lines: ReadonlyArray<CostLine>
  readonly monthlyUsd: number
  readonly perUserUsd: number
  /** Durable Object requests per month by class (KeyManager modelled, the rest measured × profile). */
  readonly doRequestsPerMonth: Readonly<Record<string, number>>
  readonly analysis: {
    readonly monthlyUsd: number
    readonly perUserUsd: number
    /** Our measured DO requests priced the analysis' way ($12.50 per million), for the comparison. */
    readonly ourDoRequestsAtAnalysisPriceUsd: number
  }
}

/** Operations per month of each metered scenario under the profile (the standalone rate-limit check is not a user action). */
export const operationsPerMonth = (): Record<string, number> => ({
  ...Object.fromEntries(Object.entries(profile.perUserPerMonth).map(([scenario, n]) => [scenario, n * profile.monthlyActiveUsers])),
  "client-credentials": profile.clientCredentialsPerMonth
})

/** The KeyManager singleton is asked once per keys isolate per minute, whatever the traffic (signing_key_cache.ts). */
const keyManagerRequestsPerMonth = () => profile.keysIsolates * (secondsPerMonth / 60)

const sumOver = (perOp: CostPerOp, ops: Record<string, number>, read: (c: CostCounts) => number) =>
  Object.entries(ops).reduce((total, [scenario, n]) => total + n * read(perOp[scenario] ?? {}), 0)

/** Durable Object requests per month by class under the profile. */
export const doRequestsPerMonth = (perOp: CostPerOp): Record<string, number> => {
  const ops = operationsPerMonth()
  const byClass: Record<string, number> = {}
  for (const [scenario, n] of Object.entries(ops)) {
    for (const [cls, count] of Object.entries(perOp[scenario]?.doRequests ?? {})) {
      if (cls === "KeyManager") continue // cold-cache artefact of a short bench; modelled below
      byClass[cls] = (byClass[cls] ?? 0) + n * count
    }
  }
  byClass.KeyManager = keyManagerRequestsPerMonth()
  return byClass
}

/** D1 rows one audit event writes: its audit_log row (WITHOUT ROWID) and its (user_id, id) and (client_id, id) index entries. */
const AUDIT_D1_ROWS_PER_EVENT = 3

/** Prices the profile with the measured per-operation counts. */
export const costModel = (perOp: CostPerOp): CostReport => {
  const ops = operationsPerMonth()
  const sum = (read: (c: CostCounts) => number) => sumOver(perOp, ops, read)
  const doByClass = doRequestsPerMonth(perOp)
  const doRequests = Object.values(doByClass).reduce((a, b) => a + b, 0)
  const workerRequests = sum((c) => c.workerRequests ?? 0)
  const signInRequests = (ops["sign-in"] ?? 0) * (perOp["sign-in"]?.workerRequests ?? 0)
  const cpuMs = (ops["sign-in"] ?? 0) * profile.cpuMsPerSignIn + (workerRequests - signInRequests) * profile.cpuMsPerRequest
  const alarms = Object.values(profile.purgeAlarms).reduce((total, a) => total + a.objects * (secondsPerMonth / a.everySeconds), 0)
  const doGbSeconds = (doRequests + alarms) * (profile.doActiveMsPerRequest / 1000) * 0.128
  const queueMessages = sum((c) => c.queueMessages ?? 0)
  const line = (item: string, units: number, unit: string, unitPriceUsd: number, basis: CostLine["basis"]): CostLine =>
    ({ item, units, unit, unitPriceUsd, monthlyUsd: units * unitPriceUsd, basis })
  const lines: Array<CostLine> = [
    line("Workers requests (edge)", workerRequests, "requests", prices.workerRequest, "measured"),
    line("Workers CPU time", cpuMs, "CPU ms", prices.workerCpuMs, "modelled"),
    line("Durable Object requests", doRequests, "requests", prices.doRequest, "measured"),
    line("Durable Object alarms (purges)", alarms, "requests", prices.doRequest, "modelled"),
    line("Durable Object duration", doGbSeconds, "GB-s", prices.doGbSecond, "modelled"),
    line("DO SQLite rows written", sum((c) => c.doRowsWritten ?? 0), "rows", prices.doRowWritten, "measured"),
    line("DO SQLite rows read", sum((c) => c.doRowsRead ?? 0), "rows", prices.doRowRead, "measured"),
    line("D1 rows written", sum((c) => c.d1RowsWritten ?? 0), "rows", prices.d1RowWritten, "measured"),
    line("D1 rows read", sum((c) => c.d1RowsRead ?? 0), "rows", prices.d1RowRead, "measured"),
    line("KV reads", sum((c) => c.kvReads ?? 0), "reads", prices.kvRead, "measured"),
    line("KV writes, deletes, lists", sum((c) => (c.kvWrites ?? 0) + (c.kvDeletes ?? 0) + (c.kvLists ?? 0)), "operations", prices.kvWrite, "measured"),
    line("Queue operations", queueMessages * prices.queueOperationsPerMessage, "operations", prices.queueOperation, "measured"),
    // identity's audit consumer writes each event after the request (not seen by the meter): about one event per
    // message, each the audit_log row plus its 2 index entries (migrations/0011_audit_trail.sql).
    line("D1 rows written (audit consumer)", queueMessages * AUDIT_D1_ROWS_PER_EVENT, "rows", prices.d1RowWritten, "modelled"),
    line("R2 class A", sum((c) => c.r2ClassA ?? 0), "operations", prices.r2ClassA, "measured"),
    line("R2 class B", sum((c) => c.r2ClassB ?? 0), "operations", prices.r2ClassB, "measured"),
    line("D1 storage (beyond 5 GB)", Math.max(0, profile.d1StorageGb - 5), "GB-month", prices.d1GbMonth, "modelled"),
    line("DO storage", profile.doStorageGb, "GB-month", prices.doGbMonth, "modelled")
  ]
  const monthlyUsd = lines.reduce((total, l) => total + l.monthlyUsd, 0)
  return {
    operationsPerMonth: ops,
    lines,
    monthlyUsd,
    perUserUsd: monthlyUsd / profile.monthlyActiveUsers,
    doRequestsPerMonth: doByClass,
    analysis: {
      monthlyUsd: analysisEstimate.monthlyUsd,
      perUserUsd: analysisEstimate.perUserUsd,
      ourDoRequestsAtAnalysisPriceUsd: doRequests * analysisEstimate.doRequestPrice
    }
  }
}

const usd = (n: number) => (n >= 100 ? `$${Math.round(n).toLocaleString("en-US")}` : `$${n.toFixed(2)}`)
const count = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} K` : n.toFixed(0))

/** The bill as text: where each dollar goes, and the analysis beside it. */
export const formatCostReport = (report: CostReport): string => {
  const rows = [...report.lines].sort((a, b) => b.monthlyUsd - a.monthlyUsd)
  const out = [
    `Cost model — ${count(profile.monthlyActiveUsers)} MAU (profile: bench/cost/profile.ts; prices: bench/cost/prices.ts)`,
    `  operations/month: ${Object.entries(report.operationsPerMonth).map(([s, n]) => `${s} ${count(n)}`).join(", ")}`,
    `  ${"line".padEnd(28)} ${"units/month".padStart(12)} ${"$/month".padStart(10)} ${"share".padStart(6)}  basis`
  ]
  for (const l of rows) {
    const share = report.monthlyUsd === 0 ? 0 : (100 * l.monthlyUsd) / report.monthlyUsd
    out.push(`  ${l.item.padEnd(28)} ${count(l.units).padStart(12)} ${usd(l.monthlyUsd).padStart(10)} ${`${share.toFixed(1)}%`.padStart(6)}  ${l.basis}`)
  }
  out.push(`  ${"total".padEnd(28)} ${"".padStart(12)} ${usd(report.monthlyUsd).padStart(10)}         ${`$${report.perUserUsd.toFixed(6)} per user`}`)
  out.push(`  analysis estimate: ${usd(report.analysis.monthlyUsd)}/month, $${report.analysis.perUserUsd}/user — it priced DO requests at $12.50/M;`)
  out.push(`    our measured DO requests priced that way would be ${usd(report.analysis.ourDoRequestsAtAnalysisPriceUsd)}/month; at the real $0.15/M they are ${usd(report.lines.find((l) => l.item === "Durable Object requests")?.monthlyUsd ?? 0)}.`)
  return out.join("\n")
}
