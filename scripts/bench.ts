/**
 * `npm run bench [-- --quick] [--concurrency N] [--ops N] [--sign-in-ops N] [--time-cap S] [--only a,b]`:
 * Authrim (the same `wrangler dev` as `npm start`, fresh state) side by side
 * with a reference provider (oidc-provider, in-memory adapter) and, on the same
 * runtime, workers-oauth-provider and a bare Worker (issue 10 §1; `--no-peers`
 * skips them), all on this machine in this run, driven by the same load
 * generator in a second process.
 * Prints the comparison and Authrim's cost per operation, writes
 * bench/results/<date>.json and the SVG chart. Numbers compare only within a run.
 */
import { mkdirSync, rmSync } from "node:fs"
import path from "node:path"
import { authrimBenchVars, authrimBenchWorkerVars, confirmAuthrimVars } from "../bench/authrim_vars.ts"
import { parseBenchOptions, userBudget } from "../bench/bench_options.ts"
import { benchSeedFile } from "../bench/bench_seed.ts"
import { perOperation } from "../bench/load/cost_sum.ts"
import { stopLoadProcess } from "../bench/load_process.ts"
import { machineInfo } from "../bench/machine_info.ts"
import { runPeerScenarios, startPeers } from "../bench/peer_loop.ts"
import { startReference } from "../bench/reference_process.ts"
import { comparisonTable } from "../bench/report/comparison_table.ts"
import { costTable } from "../bench/report/cost_table.ts"
import { peerTable } from "../bench/report/peer_table.ts"
import { SCENARIOS, type BenchResults } from "../bench/results.ts"
import { localDate, writeResults } from "../bench/results_file.ts"
import { runScenarios } from "../bench/scenario_loop.ts"
import { costModel, formatCostReport } from "../bench/cost/model.ts"
import { doLoadAtPeak, formatDoLoad } from "../bench/cost/do_load.ts"
import { formatMemory, measureShardMemory } from "../bench/scale/memory.ts"
import { formatShardBalance, shardBalanceReport } from "../bench/scale/shard_balance.ts"
import { freePort, migrate, repoRoot, seed, startDev, workerConfigs } from "./local_stack.ts"

const options = parseBenchOptions(process.argv.slice(2))
const startedAt = new Date()
const runId = startedAt.toISOString().replace(/[:.]/g, "-")
const runDir = path.join(repoRoot, "bench/tmp", runId)
const persistDir = path.join(runDir, "state")
mkdirSync(runDir, { recursive: true })

// Everything started is stopped on the way out, error or Ctrl-C included (by process group).
const stops: Array<() => Promise<void>> = []
let stopping: Promise<void> | undefined
const stopAll = () =>
  (stopping ??= (async () => {
    stopLoadProcess()
    for (const stop of stops.reverse()) await stop().catch(() => {})
  })())
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stopAll().then(() => process.exit(130)))

try {
  const users = userBudget(options).total
  console.log(`• state in ${path.relative(repoRoot, runDir)}; applying D1 migrations…`)
  migrate(persistDir)
  console.log(`• seeding bench-app and ${users} users (passwords hashed as in production)…`)
  await seed(benchSeedFile(users), persistDir)

  const authrimPort = await freePort()
  const issuer = `http://127.0.0.1:${authrimPort}`
  console.log("• starting Authrim (wrangler dev, all six workers) and the reference provider…")
  const authrim = await startDev({ configs: workerConfigs, persistDir, port: authrimPort, vars: authrimBenchVars(issuer), everyWorkerVars: { ...authrimBenchWorkerVars } })
  stops.push(authrim.stop)
  const reference = await startReference(await freePort(), users, path.join(runDir, "reference.log"))
  stops.push(reference.stop)
  if (options.peers) console.log("• starting the peers (workers-oauth-provider, bare Worker), each under its own wrangler dev…")
  const peers = options.peers ? await startPeers(path.join(runDir, "peers"), (stop) => stops.push(stop)) : null
  const probe = await confirmAuthrimVars(authrim.url, issuer)

  console.log(`• ${options.scenarios.length} scenarios, concurrency ${options.concurrency}, time cap ${options.timeCapSeconds} s per scenario and target${options.quick ? " (quick)" : ""}:`)
  const scenarios = await runScenarios(options, { authrim: authrim.url, reference: reference.url }, runId, authrim.process.pid, reference.group)
  if (peers !== null) console.log("• peer scenarios (same runtime: Authrim, workers-oauth-provider, bare Worker):")
  const peerResults = peers === null ? undefined : await runPeerScenarios(options, authrim, peers, runId)
  await stopAll()

  const results: BenchResults = {
    date: localDate(startedAt),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    machine: machineInfo(),
    settings: { concurrency: options.concurrency, opCounts: options.opCounts, timeCapSeconds: options.timeCapSeconds, warmupOps: options.warmupOps, ...(options.peers ? { peerOpCounts: options.peerOpCounts, peerWarmupOps: options.peerWarmupOps } : {}) },
    scenarios,
    ...(peerResults === undefined ? {} : { peers: peerResults }),
    authrim: {
      meterPresent: probe.meterPresent || Object.values(scenarios).some((c) => c.authrim.cost.metered > 0),
      costPerOp: Object.fromEntries(Object.entries(scenarios).map(([s, c]) => [s, perOperation(c.authrim.cost.counts, c.authrim.ops)]))
    }
  }
  console.log("\n" + comparisonTable(results) + "\n")
  if (results.peers !== undefined) console.log(peerTable(results) + "\n")
  console.log(costTable(results) + "\n")

  // ── Report sections (issue 5) ───────────────────────────────────────────────────────
  const costReport = costModel(results.authrim.costPerOp)
  console.log(formatCostReport(costReport) + "\n")
  console.log("• shard balance (1 M user ids, 5 M client addresses through the real shard functions)…")
  const balance = await shardBalanceReport()
  console.log(formatShardBalance(balance) + "\n")
  // The hottest shard of each routed class carries max/mean × the average: the DO load table uses the measured factor.
  // Session: the worse of random and sequential ids; limiter: the whole address mix (a small sub-mix alone is noisier).
  const hottest = {
    SessionStore: Math.max(...balance.session.map((row) => row.maxOverMean)),
    RateLimiterCounter: balance.rateLimit.find((row) => row.set === "all")?.maxOverMean ?? Math.max(...balance.rateLimit.map((row) => row.maxOverMean))
  }
  const doLoad = doLoadAtPeak(results.authrim.costPerOp, hottest)
  console.log(formatDoLoad(doLoad) + "\n")
  // The heap measurement reads workerd's inspector through /proc (Linux); where it cannot, the run still writes its results.
  const memory = options.quick
    ? null
    : await measureShardMemory().catch((error: unknown) => ({ failed: error instanceof Error ? error.message : String(error) }))
  if (memory !== null) console.log(("failed" in memory ? `Shard memory: not measured — ${memory.failed}` : formatMemory(memory)) + "\n")
  const withSections: BenchResults = { ...results, sections: { costModel: costReport, doLoadAtPeak: doLoad, shardBalance: balance, memory } }

  for (const file of writeResults(withSections, options.scenarios.length === SCENARIOS.length)) console.log(`wrote ${file}`)
  // The run's state (tens of MB) is only worth keeping when something failed; reference.log stays either way.
  rmSync(persistDir, { recursive: true, force: true })
} finally {
  await stopAll()
}
