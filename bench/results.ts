/**
 * The shape of a bench run: what each load-generator process reports and what
 * `bench/results/<date>.json` holds. Shared by the runner, the load generator
 * and the report sections.
 */
import type { CostCounts } from "../contracts/src/cost_counts.ts"

/** Scenario ids (fixed: used in the JSON and the tables). */
export const SCENARIOS = ["sign-in", "refresh", "client-credentials", "introspection", "userinfo", "rate-limit-check"] as const
export type ScenarioId = (typeof SCENARIOS)[number]

export const isScenarioId = (s: string): s is ScenarioId => (SCENARIOS as ReadonlyArray<string>).includes(s)

export type TargetId = "authrim" | "reference"

/**
 * Issue 10 §1: the same flows against peers on the same runtime. `api-call` is Authrim's
 * /userinfo vs the peer's `GET /api/me` (and the bare Worker's one JSON answer);
 * `refresh` is refresh vs refresh; `remembered-consent` is the code flow of a user who
 * consented before (Authrim: authorize → login → code → token; the peer: authorize → token);
 * `discovery` is Authrim's `/.well-known/openid-configuration` and `/jwks`, alternately, vs the
 * peer's RFC 8414 metadata (it publishes no JWKS: its tokens are opaque) — the bare Worker is
 * the ceiling both are held to.
 */
export const PEER_SCENARIOS = ["api-call", "refresh", "remembered-consent", "discovery"] as const
export type PeerScenarioId = (typeof PEER_SCENARIOS)[number]

/** The Workers the peer comparison starts beside Authrim (bench/peers/<id>/), each under its own `wrangler dev`. */
export type PeerTargetId = "workers-oauth-provider" | "bare-worker"

/** What one load process runs: a scenario of the reference comparison or of the peer comparison. */
export type LoadScenarioId = ScenarioId | PeerScenarioId
export type LoadTargetId = TargetId | PeerTargetId

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
  readonly target: LoadTargetId
  readonly scenario: LoadScenarioId
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
  /**
   * CPU time (user + system) of the target's workerd processes — both of its `wrangler dev`,
   * the proxy and the runtime — over the measured phase, per started op; absent where not
   * measured (the reference is a Node process; /proc unreadable).
   */
  readonly workerdCpuMsPerOp?: number
  /** The reference provider's Node process CPU (user + system) per started op over the measured phase. */
  readonly nodeCpuMsPerOp?: number
}

/**
 * One peer scenario: Authrim, workers-oauth-provider and the bare Worker's single request,
 * with Authrim ÷ peer (throughput: above 1 favours Authrim; latency: below 1 does) and
 * Authrim ÷ bare Worker throughput (the share of the platform ceiling one flow reaches).
 */
export interface PeerComparison {
  readonly authrim: LoadResult
  readonly peer: LoadResult
  readonly bare: LoadResult
  readonly ratios: {
    readonly vsPeer: { readonly throughput: number; readonly p50: number; readonly p99: number; readonly cpuPerOp: number | null }
    readonly vsBare: { readonly throughput: number }
  }
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
  readonly workersOauthProvider?: string
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
    readonly peerOpCounts?: Readonly<Record<PeerScenarioId, number>>
    readonly peerWarmupOps?: Readonly<Record<PeerScenarioId, number>>
  }
  readonly scenarios: Partial<Record<ScenarioId, ScenarioComparison>>
  /** Issue 10 §1: Authrim vs workers-oauth-provider vs a bare Worker (absent with --no-peers and in older runs). */
  readonly peers?: Partial<Record<PeerScenarioId, PeerComparison>>
  readonly authrim: {
    /** Whether any Authrim response carried `x-authrim-cost` (false: the cost figures are zeros, not measurements). */
    readonly meterPresent: boolean
    /** Average billable operations per operation (a sign-in op = the whole authorize→…→userinfo flow). */
    readonly costPerOp: Partial<Record<ScenarioId, CostCounts>>
  }
  /** The report sections computed from the run (cost model, DO load, shard balance, memory); see scripts/bench.ts. */
  readonly sections?: Readonly<Record<string, unknown>>
}
