/**
 * Deep health contract (issue 11 §4), implemented by every backend next to its
 * other contracts (through `serveAll`) and called by the edge's
 * `GET /health?deep=1` (services/edge/src/routes/health_endpoint.ts), itself called by
 * `npm run deploy` after deploying.
 *
 * A service runs a few cheap probes of what it is bound to — D1 `SELECT 1`,
 * one Durable Object `ping` (writes nothing), a KV get / R2 head of a missing
 * key, a queue producer bound — each bounded by {@link HEALTH_PROBE_TIMEOUT_MS}.
 * A failing probe is a result (`ok: false` with a short `detail`), never an
 * error of the method: `health` has no failure of its own.
 */
import { Context, Effect, Layer, Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** One probe's outcome; `ms` is how long it took (at most the timeout). */
export const HealthCheck = Schema.Struct({
  name: Schema.String,
  ok: Schema.Boolean,
  ms: Schema.Number,
  detail: Schema.optional(Schema.String)
})
/** Type of {@link HealthCheck}. */
export type HealthCheck = typeof HealthCheck.Type

/** A service's health: `ok` when every check is. */
export const ServiceHealth = Schema.Struct({
  service: Schema.String,
  ok: Schema.Boolean,
  checks: Schema.Array(HealthCheck)
})
/** Type of {@link ServiceHealth}. */
export type ServiceHealth = typeof ServiceHealth.Type

export const HealthContract = {
  /** Runs the service's probes; never fails because one of them does. */
  health: rpcMethod(Schema.Struct({}), ServiceHealth, Unavailable)
}
export const HealthContractVersion = contractVersion(HealthContract, { name: "health", version: 1 })

export type HealthRpc = RpcInterface<typeof HealthContract>

/** Longest one probe may take before it counts as failed. */
export const HEALTH_PROBE_TIMEOUT_MS = 2_000

/** One named probe: resolves when the dependency answered (its value is ignored), rejects or hangs otherwise. */
export interface HealthProbe {
  readonly name: string
  readonly run: () => Promise<unknown>
}

/** The probes of one service, built from its env by {@link healthLayer}. */
export class HealthProbes extends Context.Service<HealthProbes, {
  readonly service: string
  readonly probes: ReadonlyArray<HealthProbe>
}>()("@authrim/contracts/HealthProbes") {}

/** `service`'s probes as a Layer, merged into the service's one Layer (`serveAll`). */
export const healthLayer = (service: string, probes: ReadonlyArray<HealthProbe>): Layer.Layer<HealthProbes> =>
  Layer.succeed(HealthProbes)({ service, probes })

/** A binding that must merely be present (e.g. a queue producer: sending a probe message would be a write). */
export const bindingProbe = (name: string, binding: unknown): HealthProbe => ({
  name,
  run: () => (binding === undefined || binding === null ? Promise.reject(new Error("not bound")) : Promise.resolve(true))
})

/** D1 reachable: `SELECT 1`. */
export const d1Probe = (name: string, db: { prepare(query: string): { first(): Promise<unknown> } }): HealthProbe => ({
  name,
  run: () => db.prepare("SELECT 1").first()
})

/** The key every KV / R2 probe reads: never written, so the read is a miss. */
export const HEALTH_MISSING_KEY = "authrim-health-probe/missing"

/** KV reachable: a get of a missing key. */
export const kvProbe = (name: string, kv: { get(key: string): Promise<unknown> }): HealthProbe => ({
  name,
  run: () => kv.get(HEALTH_MISSING_KEY)
})

/** R2 reachable: a head of a missing key; an unbound (optional) bucket fails the check. */
export const r2Probe = (name: string, bucket: { head(key: string): Promise<unknown> } | undefined): HealthProbe => ({
  name,
  run: () => (bucket === undefined ? Promise.reject(new Error("not bound")) : bucket.head(HEALTH_MISSING_KEY))
})

/** A Durable Object reachable: `ping()` (packages/cost-meter MeteredDurableObject) on `stub()`, one existing shard; writes nothing. */
export const durableObjectProbe = (name: string, stub: () => { ping(): Promise<string> }): HealthProbe => ({
  name,
  run: () => stub().ping()
})

const detailOf = (cause: unknown): string => {
  const message = cause instanceof Error ? cause.message : String(cause)
  return message.length > 200 ? `${message.slice(0, 200)}…` : message
}

class ProbeFailed extends Schema.TaggedError<ProbeFailed>()("ProbeFailed", { detail: Schema.String }) {}

/** Runs one probe, bounded in time; its failure or timeout is an `ok: false` check. */
const runProbe = Effect.fnUntraced(function*(probe: HealthProbe) {
  const started = Date.now()
  const outcome = yield* Effect.tryPromise({ try: () => probe.run(), catch: (cause) => new ProbeFailed({ detail: detailOf(cause) }) }).pipe(
    Effect.as<string | null>(null),
    Effect.timeoutOrElse({ duration: HEALTH_PROBE_TIMEOUT_MS, orElse: () => Effect.succeed(`timed out after ${HEALTH_PROBE_TIMEOUT_MS} ms`) }),
    Effect.catchTag("ProbeFailed", (failed) => Effect.succeed(failed.detail))
  )
  const ms = Date.now() - started
  return outcome === null ? { name: probe.name, ok: true, ms } : { name: probe.name, ok: false, ms, detail: outcome }
})

/** The `health` handler of every service: its probes, concurrently. */
export const checkHealth = Effect.fnUntraced(function*(_input: {}) {
  const { service, probes } = yield* HealthProbes
  const checks: ReadonlyArray<HealthCheck> = yield* Effect.forEach(probes, runProbe, { concurrency: "unbounded" })
  return { service, ok: checks.every((check) => check.ok), checks }
})
