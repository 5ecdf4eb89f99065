/**
 * The load generator: `node bench/load/run.ts '<LoadJob JSON>'` runs ONE
 * scenario against ONE target and prints its `LoadResult` as one JSON line on
 * stdout. A process of its own, so its CPU is not the providers' CPU, and the
 * same code drives both targets.
 */
import type { ScenarioId, TargetId } from "../results.ts"
import { drive } from "./driver.ts"
import { scenarioFor, userPool } from "./scenarios.ts"
import { discoverTarget } from "./target.ts"

/** What the runner asks of one load process. */
export interface LoadJob {
  readonly target: TargetId
  readonly baseUrl: string
  readonly scenario: ScenarioId
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
const target = await discoverTarget(job.target, job.baseUrl)
const scenario = scenarioFor(job.scenario, target, userPool(job.users.first, job.users.count), job.runId)
const result = await drive(scenario, job)
process.stdout.write(JSON.stringify(result) + "\n")
