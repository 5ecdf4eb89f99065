/** Bindings of the ratelimit worker (see wrangler.jsonc and storage-schema.md). */
import type { BindingMeterSpec } from "@authrim/contracts"
import type { RateLimiterCounter } from "./rate_limiter_counter.ts"

export interface ServiceEnv {
  /** RateLimiterCounter shards, named `ratelimit-shard-<n>` (n < 1000, see `shard.ts`). */
  RATE_LIMITER_COUNTER: DurableObjectNamespace<RateLimiterCounter>
}

/** How the cost meter counts this worker's bindings (contracts/src/metered_bindings.ts). */
export const rateLimitBindingMeters: BindingMeterSpec = { RATE_LIMITER_COUNTER: { durableObject: "RateLimiterCounter" } }
