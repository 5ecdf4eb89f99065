/** Bindings of the ratelimit worker (see wrangler.jsonc and storage-schema.md). */
import type { BindingMeterSpec } from "@authrim/cost-meter"
import type { AuditBatch } from "@authrim/contracts"
import type { RateLimiterCounter } from "./rate_limiter_counter.ts"
import type { MetricsDataset } from "@authrim/contracts"

export interface ServiceEnv {
  /** RateLimiterCounter shards, named `ratelimit-shard-<n>` (n < 1000, see `shard.ts`). */
  RATE_LIMITER_COUNTER: DurableObjectNamespace<RateLimiterCounter>
  /** Sampled `rate_limit.refused` audit events (identity consumes authrim-audit into D1 audit_log). Unbound: logged only. */
  AUDIT_QUEUE?: Queue<AuditBatch>
  /** "true": the cost meter is on in this worker (benchmarks, local runs; never in production) — see packages/cost-meter/src/metered_env.ts. */
  COST_METER_HEADER?: string
  /** Analytics Engine dataset `authrim_service_calls`: one data point per RPC call, written by serveAll; unbound, none. */
  METRICS?: MetricsDataset
}

/** How the cost meter counts this worker's bindings while it is on (packages/cost-meter/src/metered_bindings.ts). */
export const rateLimitBindingMeters: BindingMeterSpec = { RATE_LIMITER_COUNTER: { durableObject: "RateLimiterCounter" }, AUDIT_QUEUE: "queue" }
