/** Bindings of the ratelimit worker (see wrangler.jsonc and storage-schema.md). */
import type { RateLimiterCounter } from "./rate_limiter_counter.ts"

export interface ServiceEnv {
  /** RateLimiterCounter shards, named `ratelimit-shard-<n>` (n < 1000, see `shard.ts`). */
  RATE_LIMITER_COUNTER: DurableObjectNamespace<RateLimiterCounter>
}
