/** authrim-ratelimit: the `RateLimitForEdge` entrypoint and its `RateLimiterCounter` shards. */
import { runtimePerEnv } from "@authrim/contracts"
import { rateLimitLayer } from "./counter_namespace.ts"
import type { ServiceEnv } from "./env.ts"
import { warmUpShards } from "./shard_warm_up.ts"

export { RateLimiterCounter } from "./rate_limiter_counter.ts"
export { RateLimitForEdge } from "./rate_limit_service.ts"

/** The warm-up's dependencies, built once per isolate and env. */
const cronRuntimeOf = runtimePerEnv(rateLimitLayer)

export default {
  /** Internal service: reachable only through its RPC entrypoint. */
  fetch: () => new Response("ratelimit: internal service", { status: 404 }),
  /**
   * Shard warm-up (DESIGN §5): one ping per RateLimiterCounter shard. No trigger is configured:
   * measured, a periodic ping did not keep a shard's first request warm (docs/performance.md
   * "Shard warm-up"); an operator who wants it adds `"triggers": { "crons": ["* * * * *"] }`.
   */
  scheduled: (_controller, env, ctx) => {
    ctx.waitUntil(cronRuntimeOf(env).runPromise(warmUpShards({})))
  }
} satisfies ExportedHandler<ServiceEnv>
