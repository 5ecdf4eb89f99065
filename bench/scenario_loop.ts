/**
 * Runs every scenario against both targets, interleaved (Authrim then the
 * reference for scenario 1, then scenario 2, …) so machine drift hits both
 * alike, each in a fresh load-generator process.
 */
import type { BenchOptions } from "./bench_options.ts"
import { userBudget } from "./bench_options.ts"
import { runLoadProcess } from "./load_process.ts"
import type { LoadResult, ScenarioComparison, ScenarioId, TargetId } from "./results.ts"

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0)

export const compare = (authrim: LoadResult, reference: LoadResult): ScenarioComparison => ({
  authrim,
  reference,
  ratios: {
    throughput: ratio(authrim.throughput, reference.throughput),
    p50: ratio(authrim.latencyMs.p50, reference.latencyMs.p50),
    p95: ratio(authrim.latencyMs.p95, reference.latencyMs.p95)
  }
})

/**
 * `authrimGroup`: the process group of Authrim's `wrangler dev` (its workerd CPU per op);
 * `referenceGroup`: the reference provider's process group (its Node CPU per op).
 */
export const runScenarios = async (
  options: BenchOptions,
  baseUrls: Readonly<Record<TargetId, string>>,
  runId: string,
  authrimGroup?: number,
  referenceGroup?: number
): Promise<Partial<Record<ScenarioId, ScenarioComparison>>> => {
  const { ranges } = userBudget(options)
  const out: Partial<Record<ScenarioId, ScenarioComparison>> = {}
  for (const scenario of options.scenarios) {
    const measured: Partial<Record<TargetId, LoadResult>> = {}
    for (const target of ["authrim", "reference"] as const) {
      process.stdout.write(`  ${scenario.padEnd(19)} ${target.padEnd(10)} … `)
      const result = await runLoadProcess({
        target,
        baseUrl: baseUrls[target],
        scenario,
        ops: options.opCounts[scenario],
        concurrency: options.concurrency,
        timeCapSeconds: options.timeCapSeconds,
        warmupOps: options.warmupOps[scenario],
        users: ranges[scenario],
        runId
      }, target === "authrim" ? authrimGroup : referenceGroup === undefined ? undefined : { node: referenceGroup })
      measured[target] = result
      console.log(`${result.throughput} ops/s, p50 ${result.latencyMs.p50} ms, ${result.errors} errors${result.stoppedBy === "time" ? " (time cap)" : ""}`)
    }
    out[scenario] = compare(measured.authrim!, measured.reference!)
  }
  return out
}
