/**
 * Runs a scenario at fixed concurrency: setup, a warm-up (not measured), then
 * operations until the op count or the time cap is reached. Each op gets a
 * fresh user agent whose responses' cost headers are summed; latency is
 * measured per successful op with `performance.now()`.
 */
import type { LoadResult, LoadScenarioId, LoadTargetId } from "../results.ts"
import { costCounts, emptyCostSum, mergeCostSum } from "./cost_sum.ts"
import { httpSession } from "./http_session.ts"
import { summarizeLatency } from "./latency_stats.ts"
import type { Scenario } from "./scenarios.ts"

export interface DriveOptions {
  readonly target: LoadTargetId
  readonly scenario: LoadScenarioId
  readonly ops: number
  readonly concurrency: number
  readonly timeCapSeconds: number
  readonly warmupOps: number
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 200)

/** `mark` is told when the measured phase starts and ends (setup and warm-up come before). */
export const drive = async (scenario: Scenario, options: DriveOptions, mark: (phase: "measuring" | "measured") => void = () => {}): Promise<LoadResult> => {
  const workers = Array.from({ length: options.concurrency }, (_, w) => w)
  await scenario.setup(options.concurrency)

  let warmed = 0
  await Promise.all(workers.map(async (w) => {
    while (warmed < options.warmupOps) {
      warmed++
      await scenario.op(w, httpSession(emptyCostSum()), -1 - warmed).catch(() => scenario.recover?.(w))
    }
  }))

  const cost = emptyCostSum()
  const samples: number[] = []
  const errorSamples = new Set<string>()
  let errors = 0
  let started = 0
  let stoppedBy: LoadResult["stoppedBy"] = "ops"
  mark("measuring")
  const start = performance.now()
  const deadline = start + options.timeCapSeconds * 1000
  await Promise.all(workers.map(async (w) => {
    while (started < options.ops) {
      if (performance.now() >= deadline) {
        stoppedBy = "time"
        return
      }
      const n = started++
      const opCost = emptyCostSum()
      const t0 = performance.now()
      try {
        await scenario.op(w, httpSession(opCost), n)
        samples.push(performance.now() - t0)
      } catch (error) {
        errors++
        if (errorSamples.size < 5) errorSamples.add(messageOf(error))
        await scenario.recover?.(w).catch(() => {})
      }
      mergeCostSum(cost, opCost)
    }
  }))
  const durationMs = performance.now() - start
  mark("measured")
  return {
    target: options.target,
    scenario: options.scenario,
    concurrency: options.concurrency,
    ops: started,
    errors,
    errorSamples: [...errorSamples],
    durationMs: Math.round(durationMs),
    throughput: Math.round((samples.length / (durationMs / 1000)) * 100) / 100,
    latencyMs: summarizeLatency(samples),
    stoppedBy,
    cost: { counts: costCounts(cost), responses: cost.responses, metered: cost.metered }
  }
}
