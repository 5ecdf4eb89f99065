/**
 * The shape of a bench run: what each load-generator process reports and what
 * `bench/results/<date>.json` holds. Shared by the runner, the load generator
 * and the report sections.
 */
import type { CostCounts } from "../contracts/src/cost_meter.ts"

/** Scenario ids (fixed: used in the JSON and the tables). */
export const SCENARIOS = ["sign-in", "refresh", "client-credentials", "introspection", "userinfo", "rate-limit-check"] as const
export type ScenarioId = (typeof SCENARIOS)[number]

export const isScenarioId = (s: string): s is ScenarioId => (SCENARIOS as ReadonlyArray<string>).includes(s)

export type TargetId = "authrim" | "reference"

/** Latency of the successful operations, milliseconds. */
export interface LatencySummary {
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly mean: number
  readonly min: number
  readonly max: number
}

/** What one load-generator process measured: one scenario against one target. */
export interface LoadResult {
  readonly target: TargetId
  readonly scenario: ScenarioId
  readonly concurrency: number
  /** Operations started in the measured phase (successful + failed). */
  readonly ops: number
  readonly errors: number
  /** Up to five distinct error messages, to tell a broken run from a slow one. */
  readonly errorSamples: ReadonlyArray<string>
  readonly durationMs: number
  /** Successful operations per second of wall time. */
  readonly throughput: number
  readonly latencyMs: LatencySummary
  /** "ops": the op count was reached; "time": the per-scenario time cap stopped it first. */
  readonly stoppedBy: "ops" | "time"
  /** Sum of `x-authrim-cost` over every HTTP response of the measured ops; `metered` = responses that carried it. */
  readonly cost: { readonly counts: CostCounts; readonly responses: number; readonly metered: number }
}

/** One scenario, both targets, and Authrim / reference ratios (throughput: higher is better; latency: lower is better). */
export interface ScenarioComparison {
  readonly authrim: LoadResult
  readonly reference: LoadResult
  readonly ratios: { readonly throughput: number; readonly p50: number; readonly p95: number }
}

export interface MachineInfo {
  readonly cpuModel: string
  readonly cores: number
  readonly totalMemoryMb: number
  readonly platform: string
  readonly node: string
  readonly wrangler: string
  readonly oidcProvider: string
}

/** Everything a run measured; the report sections take this object. */
export interface BenchResults {
  readonly date: string
  readonly startedAt: string
  readonly finishedAt: string
  readonly quick: boolean
  readonly machine: MachineInfo
  readonly settings: {
    readonly concurrency: number
    readonly opCounts: Readonly<Record<ScenarioId, number>>
    readonly timeCapSeconds: number
    readonly warmupOps: Readonly<Record<ScenarioId, number>>
  }
  readonly scenarios: Partial<Record<ScenarioId, ScenarioComparison>>
  readonly authrim: {
    /** Whether any Authrim response carried `x-authrim-cost` (false: the cost figures are zeros, not measurements). */
    readonly meterPresent: boolean
    /** Average billable operations per operation (a sign-in op = the whole authorize→…→userinfo flow). */
    readonly costPerOp: Partial<Record<ScenarioId, CostCounts>>
  }
  /** The report sections computed from the run (cost model, DO load, shard balance, memory); see scripts/bench.ts. */
  readonly sections?: Readonly<Record<string, unknown>>
}
