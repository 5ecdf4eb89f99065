/**
 * The README chart, as hand-written SVG (no dependencies): per scenario,
 * grouped bars of throughput (Authrim vs reference; higher is better) and of
 * p50/p95 latency (lower is better); then, when the run had them, the peer
 * scenarios on the same runtime (Authrim, workers-oauth-provider, the bare
 * Worker): throughput and workerd CPU per op. Axes are logarithmic because a
 * sign-in and a rate-limit check differ by orders of magnitude.
 */
import type { BenchResults, PeerComparison, ScenarioComparison } from "../results.ts"

/** One bar per group; `value` undefined = no bar (not measured for that group). */
interface Series<C> {
  readonly label: string
  readonly color: string
  readonly value: (c: C) => number | undefined
}

const WIDTH = 1100
const LEFT = 90
const RIGHT = 20
const AUTHRIM = "#f38020"
const AUTHRIM_LIGHT = "#f9b97a"
const REFERENCE = "#3d6aa8"
const REFERENCE_LIGHT = "#93aed4"
const PEER = "#6a9a3a"
const BARE = "#8c8c8c"

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
const label = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2))
/** A power of ten as an axis tick: 0.1, 1, 10, 1000. */
const tick = (e: number) => (e >= 0 ? String(10 ** e) : (10 ** e).toFixed(-e))

const panel = <C>(top: number, height: number, title: string, axis: string, scenarios: ReadonlyArray<[string, C]>, series: ReadonlyArray<Series<C>>): string => {
  const values = scenarios.flatMap(([, c]) => series.map((s) => s.value(c) ?? 0)).filter((v) => v > 0)
  const lo = Math.floor(Math.log10(Math.min(...values, 1)))
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values, 1))))
  const bottom = top + height
  const y = (v: number) => (v <= 0 ? bottom : bottom - ((Math.log10(v) - lo) / (hi - lo)) * height)
  const plotWidth = WIDTH - LEFT - RIGHT
  const group = plotWidth / Math.max(1, scenarios.length)
  const bar = Math.min(28, (group - 24) / series.length)
  const parts: string[] = [
    `<text x="${LEFT}" y="${top - 14}" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text transform="translate(22 ${top + height / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(axis)}</text>`
  ]
  for (let e = lo; e <= hi; e++) {
    const ty = y(10 ** e)
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${ty}" y2="${ty}" stroke="#ddd"/>`)
    parts.push(`<text x="${LEFT - 6}" y="${ty + 4}" text-anchor="end" font-size="11">${tick(e)}</text>`)
  }
  scenarios.forEach(([scenario, c], i) => {
    const x0 = LEFT + i * group + (group - bar * series.length) / 2
    series.forEach((s, j) => {
      const v = s.value(c)
      if (v === undefined) return
      const by = y(v)
      const x = x0 + j * bar
      parts.push(`<rect x="${x.toFixed(1)}" y="${by.toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(bottom - by).toFixed(1)}" fill="${s.color}"><title>${esc(`${scenario} ${s.label}: ${label(v)}`)}</title></rect>`)
      parts.push(`<text x="${(x + bar / 2 - 1).toFixed(1)}" y="${(by - 3).toFixed(1)}" text-anchor="middle" font-size="9">${label(v)}</text>`)
    })
    parts.push(`<text x="${(LEFT + i * group + group / 2).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" font-size="12">${esc(scenario)}</text>`)
  })
  parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${bottom}" y2="${bottom}" stroke="#333"/>`, `<line x1="${LEFT}" x2="${LEFT}" y1="${top}" y2="${bottom}" stroke="#333"/>`)
  const legendX = WIDTH - RIGHT - series.length * 125
  series.forEach((s, j) => {
    parts.push(`<rect x="${legendX + j * 125}" y="${top - 26}" width="12" height="12" fill="${s.color}"/>`, `<text x="${legendX + j * 125 + 16}" y="${top - 16}" font-size="12">${esc(s.label)}</text>`)
  })
  return parts.join("\n")
}

/** The peer panels (throughput, workerd CPU per op), from `top`; "" when the run had no peers. */
const peerPanels = (top: number, peers: ReadonlyArray<[string, PeerComparison]>): string =>
  peers.length === 0
    ? ""
    : [
      panel(top, 200, "Same runtime (wrangler dev) — throughput, higher is better", "operations per second (log scale)", peers, [
        { label: "Authrim", color: AUTHRIM, value: (c) => c.authrim.throughput },
        { label: "w-o-provider", color: PEER, value: (c) => c.peer.throughput },
        { label: "bare Worker", color: BARE, value: (c) => c.bare.throughput }
      ]),
      panel(top + 300, 200, "Same runtime — workerd CPU per operation, lower is better", "CPU ms per op (log scale)", peers, [
        { label: "Authrim", color: AUTHRIM, value: (c) => c.authrim.workerdCpuMsPerOp },
        { label: "w-o-provider", color: PEER, value: (c) => c.peer.workerdCpuMsPerOp },
        { label: "bare Worker", color: BARE, value: (c) => c.bare.workerdCpuMsPerOp }
      ])
    ].join("\n")

export const chartSvg = (results: BenchResults): string => {
  const scenarios = Object.entries(results.scenarios) as Array<[string, ScenarioComparison]>
  const peers = Object.entries(results.peers ?? {}) as Array<[string, PeerComparison]>
  const height = peers.length === 0 ? 760 : 1400
  const m = results.machine
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" fill="#222">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${LEFT}" y="26" font-size="18" font-weight="bold">npm run bench — Authrim vs oidc-provider ${esc(m.oidcProvider)} (same machine, same run, ${results.date})</text>`,
    `<text x="${LEFT}" y="46" font-size="12">${esc(`${m.cpuModel}, ${m.cores} cores · Node ${m.node} · wrangler ${m.wrangler} (local workerd) · concurrency ${results.settings.concurrency}${results.quick ? " · quick run" : ""}`)}</text>`,
    panel(110, 240, "Throughput — higher is better", "operations per second (log scale)", scenarios, [
      { label: "Authrim", color: AUTHRIM, value: (c) => c.authrim.throughput },
      { label: "reference", color: REFERENCE, value: (c) => c.reference.throughput }
    ]),
    panel(450, 240, "Latency p50 / p95 — lower is better", "milliseconds (log scale)", scenarios, [
      { label: "Authrim p50", color: AUTHRIM, value: (c) => c.authrim.latencyMs.p50 },
      { label: "reference p50", color: REFERENCE, value: (c) => c.reference.latencyMs.p50 },
      { label: "Authrim p95", color: AUTHRIM_LIGHT, value: (c) => c.authrim.latencyMs.p95 },
      { label: "reference p95", color: REFERENCE_LIGHT, value: (c) => c.reference.latencyMs.p95 }
    ]),
    peerPanels(810, peers),
    `<text x="${LEFT}" y="${height - 30}" font-size="11">reference = oidc-provider with its in-memory adapter in one Node process; its rate-limit-check is an in-process Map (the floor a single-process limiter gives).</text>`,
    peers.length === 0 ? "" : `<text x="${LEFT}" y="${height - 14}" font-size="11">w-o-provider = @cloudflare/workers-oauth-provider ${esc(m.workersOauthProvider ?? "")}; bare Worker = one JSON answer, measured once (in api-call), the one-request ceiling for every flow; api-call = Authrim /userinfo vs the peer's GET /api/me.</text>`,
    `</svg>`
  ].join("\n")
}
