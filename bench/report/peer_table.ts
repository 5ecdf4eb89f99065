/**
 * The peer table (issue 10 §1): per scenario Authrim, workers-oauth-provider and
 * the bare Worker — throughput, p50/p99, workerd CPU ms per op — and the ratios
 * Authrim ÷ peer and Authrim ÷ bare Worker (throughput above 1 favours Authrim).
 */
import type { BenchResults, LoadResult } from "../results.ts"

const num = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2))
const times = (n: number | null) => (n !== null && n > 0 ? `${n.toFixed(2)}×` : "—")

const row = (scenario: string, label: string, r: LoadResult, ratios: ReadonlyArray<string>) =>
  [
    scenario.padEnd(19),
    label.padEnd(22),
    num(r.throughput).padStart(8),
    num(r.latencyMs.p50).padStart(9),
    num(r.latencyMs.p99).padStart(9),
    (r.workerdCpuMsPerOp === undefined ? "—" : num(r.workerdCpuMsPerOp)).padStart(8),
    `${r.errors}${r.stoppedBy === "time" ? "*" : ""}`.padStart(7),
    "  │",
    ...ratios
  ].join(" ").trimEnd()

export const peerTable = (results: BenchResults): string => {
  const peers = results.peers ?? {}
  const head = ["scenario".padEnd(19), "target".padEnd(22), "ops/s".padStart(8), "p50 ms".padStart(9), "p99 ms".padStart(9), "CPU ms".padStart(8), "errors".padStart(7), "  │", "A/P ops/s".padStart(10), "A/P p50".padStart(8), "A/P p99".padStart(8), "A/P CPU".padStart(8), "A/bare ops/s".padStart(13)].join(" ")
  const lines = [head, "─".repeat(head.length)]
  for (const [scenario, c] of Object.entries(peers)) {
    const { vsPeer, vsBare } = c.ratios
    lines.push(row(scenario, scenario === "api-call" ? "Authrim (/userinfo)" : "Authrim", c.authrim, [times(vsPeer.throughput).padStart(10), times(vsPeer.p50).padStart(8), times(vsPeer.p99).padStart(8), times(vsPeer.cpuPerOp).padStart(8), times(vsBare.throughput).padStart(13)]))
    lines.push(row("", scenario === "api-call" ? "w-o-p (GET /api/me)" : "workers-oauth-provider", c.peer, []))
    if (scenario === "api-call") lines.push(row("", "bare Worker", c.bare, []))
  }
  lines.push(
    "A/P = Authrim ÷ @cloudflare/workers-oauth-provider, A/bare = Authrim ÷ bare Worker (one JSON answer, measured in api-call);",
    "each under its own `wrangler dev` on this machine, same load generator, same run. ops/s above 1× and latency/CPU below 1× favour Authrim.",
    "CPU ms = user+system CPU of the target's workerd processes (proxy and runtime) over the measured phase, per op.",
    "remembered-consent: Authrim = authorize → login (PBKDF2 password check) → code → token for a user who consented before;",
    "the peer = authorize (auto-approved for one fixed user, no login) → token."
  )
  const failing = Object.values(peers).flatMap((c) => [c.authrim, c.peer, c.bare]).filter((r, i, all) => r.errors > 0 && all.indexOf(r) === i)
  for (const r of failing) lines.push(`errors ${r.scenario} (${r.target}): ${r.errorSamples.join(" | ")}`)
  return lines.join("\n")
}
