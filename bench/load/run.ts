/**
 * The load generator: `node bench/load/run.ts '<LoadJob JSON>'` runs ONE
 * scenario against ONE target and prints its `LoadResult` as one JSON line on
 * stdout (after `#measuring` and `#measured` lines marking the measured phase). A process of its own, so its CPU is not the providers' CPU, and the
 * same code drives both targets.
 */
import type { LoadScenarioId, LoadTargetId } from "../results.ts"
import { drive } from "./driver.ts"
import { peerScenarioFor } from "./peer_scenarios.ts"
import { scenarioFor, userPool } from "./scenarios.ts"
import { discoverTarget } from "./target.ts"

/** What the runner asks of one load process. */
export interface LoadJob {
  readonly target: LoadTargetId
  readonly baseUrl: string
  readonly scenario: LoadScenarioId
  readonly ops: number
  readonly concurrency: number
  readonly timeCapSeconds: number
  readonly warmupOps: number
  /** Bench users this process may sign in: indices first … first+count-1. */
  readonly users: { readonly first: number; readonly count: number }
  /** Makes rate-limit keys unique across runs. */
  readonly runId: string
}

const job = JSON.parse(process.argv[2] ?? "null") as LoadJob | null
if (job === null) {
  console.error("usage: node bench/load/run.ts '<LoadJob JSON>' (started by scripts/bench.ts)")
  process.exit(2)
}
const scenario =
  job.target === "workers-oauth-provider" || job.target === "bare-worker"
    ? peerScenarioFor(job.target, job.scenario, job.baseUrl)
    : scenarioFor(job.scenario, await discoverTarget(job.target, job.baseUrl), userPool(job.users.first, job.users.count), job.runId)
// The runner reads workerd's CPU time at these two marks (bench/workerd_cpu.ts): the measured phase only.
const result = await drive(scenario, job, (phase) => process.stdout.write(`#${phase}\n`))
process.stdout.write(JSON.stringify(result) + "\n")
