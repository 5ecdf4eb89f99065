/**
 * Command line of `npm run bench`: `--quick` (a short smoke run),
 * `--concurrency N`, `--ops N` (every scenario), `--sign-in-ops N`,
 * `--time-cap SECONDS`, `--only a,b` (scenario ids), `--no-peers` (skip the comparison
 * with workers-oauth-provider and the bare Worker).
 */
import { PEER_SCENARIOS, SCENARIOS, isScenarioId, type PeerScenarioId, type ScenarioId } from "./results.ts"

export interface BenchOptions {
  readonly quick: boolean
  readonly concurrency: number
  readonly opCounts: Readonly<Record<ScenarioId, number>>
  readonly warmupOps: Readonly<Record<ScenarioId, number>>
  readonly timeCapSeconds: number
  readonly scenarios: ReadonlyArray<ScenarioId>
  /** Issue 10 §1: also run the peer scenarios (default; `--no-peers` skips them). */
  readonly peers: boolean
  readonly peerOpCounts: Readonly<Record<PeerScenarioId, number>>
  readonly peerWarmupOps: Readonly<Record<PeerScenarioId, number>>
}

const perScenario = (signIn: number, others: number) =>
  Object.fromEntries(SCENARIOS.map((s) => [s, s === "sign-in" ? signIn : others])) as Record<ScenarioId, number>

export const parseBenchOptions = (argv: ReadonlyArray<string>): BenchOptions => {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const positive = (name: string, fallback: number) => {
    const raw = value(name)
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`)
    return n
  }
  const quick = argv.includes("--quick")
  const concurrency = positive("concurrency", 8)
  const others = positive("ops", quick ? 150 : 1000)
  const signIn = positive("sign-in-ops", quick ? 20 : 120)
  const only = value("only")?.split(",") ?? [...SCENARIOS]
  const unknown = only.filter((s) => !isScenarioId(s))
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(", ")} (known: ${SCENARIOS.join(", ")})`)
  return {
    quick,
    concurrency,
    opCounts: perScenario(signIn, others),
    // A few ops per worker to warm JIT, isolates and connection pools; sign-ins are costly, so fewer.
    warmupOps: perScenario(Math.min(concurrency, 4), concurrency * 3),
    timeCapSeconds: positive("time-cap", quick ? 10 : 20),
    scenarios: SCENARIOS.filter((s) => only.includes(s)),
    peers: !argv.includes("--no-peers"),
    // A remembered-consent sign-in is a flow like sign-in: its op count and warm-up.
    peerOpCounts: { "api-call": others, refresh: others, "remembered-consent": signIn, discovery: others },
    peerWarmupOps: { "api-call": concurrency * 3, refresh: concurrency * 3, "remembered-consent": Math.min(concurrency, 4), discovery: concurrency * 3 }
  }
}

/**
 * Bench users each scenario may sign in (the same indices on both targets:
 * the reference registers the same users). Sign-in needs one per op and
 * warm-up op; the others sign in only during setup (and to repair a chain).
 */
export const userBudget = (options: BenchOptions): {
  readonly ranges: Readonly<Record<ScenarioId, { first: number; count: number }>>
  /** Authrim's users of the peer scenarios (the peer grants every flow to one fixed user). */
  readonly peerRanges: Readonly<Record<PeerScenarioId, { first: number; count: number }>>
  readonly total: number
} => {
  const spare = options.concurrency * 2
  const needs: Record<ScenarioId, number> = {
    "sign-in": options.opCounts["sign-in"] + options.warmupOps["sign-in"] + options.concurrency,
    refresh: options.concurrency + spare,
    "client-credentials": 0,
    introspection: 1 + spare,
    userinfo: 1 + spare,
    "rate-limit-check": 0
  }
  let first = 0
  const ranges = {} as Record<ScenarioId, { first: number; count: number }>
  for (const s of SCENARIOS) {
    ranges[s] = { first, count: needs[s] }
    first += needs[s]
  }
  // remembered-consent: one returning user per worker (consents in setup), plus spares.
  const peerNeeds: Record<PeerScenarioId, number> = { "api-call": 1 + spare, refresh: options.concurrency + spare, "remembered-consent": options.concurrency + spare, discovery: 0 }
  const peerRanges = {} as Record<PeerScenarioId, { first: number; count: number }>
  for (const s of PEER_SCENARIOS) {
    peerRanges[s] = { first, count: options.peers ? peerNeeds[s] : 0 }
    first += peerRanges[s].count
  }
  return { ranges, peerRanges, total: first }
}
