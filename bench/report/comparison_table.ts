/**
 * The side-by-side table: per scenario, each target's throughput, latency
 * percentiles, server CPU per op and errors, and Authrim / reference ratios —
 * throughput ratio above 1 and latency/CPU ratios below 1 mean Authrim is ahead.
 */
import type { BenchResults, LoadResult } from "../results.ts"

const num = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2))
const times = (n: number) => (n > 0 ? `${n.toFixed(2)}×` : "—")

/** Server CPU ms per op: workerd (Authrim) or the Node process (reference); undefined where not measured. */
const cpuPerOp = (r: LoadResult) => r.workerdCpuMsPerOp ?? r.nodeCpuMsPerOp

export const comparisonTable = (results: BenchResults): string => {
  const head = ["scenario".padEnd(19), "target".padEnd(10), "ops/s".padStart(8), "p50 ms".padStart(9), "p95 ms".padStart(9), "p99 ms".padStart(9), "CPU ms".padStart(8), "errors".padStart(7), "  │", "A/R ops/s".padStart(10), "A/R p50".padStart(8), "A/R p95".padStart(8), "A/R CPU".padStart(8)].join(" ")
  const lines = [head, "─".repeat(head.length)]
  for (const [scenario, c] of Object.entries(results.scenarios)) {
    const authrimCpu = cpuPerOp(c.authrim)
    const referenceCpu = cpuPerOp(c.reference)
    const cpuRatio = authrimCpu !== undefined && referenceCpu !== undefined && referenceCpu > 0 ? authrimCpu / referenceCpu : 0
    for (const target of ["authrim", "reference"] as const) {
      const r = c[target]
      const cpu = cpuPerOp(r)
      const ratios = target === "authrim" ? [times(c.ratios.throughput).padStart(10), times(c.ratios.p50).padStart(8), times(c.ratios.p95).padStart(8), times(cpuRatio).padStart(8)] : []
      lines.push([
        (target === "authrim" ? scenario : "").padEnd(19),
        (target === "authrim" ? "Authrim" : "reference").padEnd(10),
        num(r.throughput).padStart(8),
        num(r.latencyMs.p50).padStart(9),
        num(r.latencyMs.p95).padStart(9),
        num(r.latencyMs.p99).padStart(9),
        (cpu === undefined ? "—" : num(cpu)).padStart(8),
        `${r.errors}${r.stoppedBy === "time" ? "*" : ""}`.padStart(7),
        "  │",
        ...ratios
      ].join(" ").trimEnd())
    }
  }
  lines.push(
    "A/R = Authrim ÷ reference, same machine, same run: ops/s above 1× and latency/CPU below 1× favour Authrim.",
    "CPU ms = server CPU (user + system) per op over the measured phase: Authrim's workerd processes (all six workers,",
    "proxy and runtime), the reference's Node process. The load generator's own CPU is in neither.",
    "* = stopped by the time cap before the op count. Latency over successful ops; ops/s = successful ops per second.",
    "reference = oidc-provider (in-memory adapter, one Node process); its rate-limit-check is an in-process Map —",
    "the floor a single-process limiter gives, not an oidc-provider feature."
  )
  const failing = Object.values(results.scenarios).flatMap((c) => [c.authrim, c.reference]).filter((r) => r.errors > 0)
  for (const r of failing) lines.push(`errors ${r.scenario} (${r.target}): ${r.errorSamples.join(" | ")}`)
  return lines.join("\n")
}
