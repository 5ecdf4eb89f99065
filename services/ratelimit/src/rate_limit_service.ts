/**
 * `RateLimitForEdge` entrypoint (edge binding `RATELIMIT`, its only caller; issue 13 §2,
 * contracts/src/ratelimit_entrypoints.ts): the RPC surface of `contracts/src/ratelimit.ts`,
 * health and shard warm-up, served by `serveAll` (input that fails its schema is refused by `serve`).
 */
import { WorkerEntrypoint } from "cloudflare:workers"
import { checkHealth } from "@authrim/contracts"
import { Layer } from "effect"
import { rateLimitHealthLayer } from "./ratelimit_health.ts"
import { RateLimitForEdgeContracts, serveAll } from "@authrim/contracts"
import { meteredEnv } from "@authrim/cost-meter"
import { rateLimitLayer } from "./counter_namespace.ts"
import { rateLimitBindingMeters, type ServiceEnv } from "./env.ts"
import { checkBatch, checkWindow, stepBackoff } from "./refusal_audit.ts"
import { warmUpShards } from "./shard_warm_up.ts"

export class RateLimitForEdge extends serveAll(WorkerEntrypoint<ServiceEnv>, {
  name: "ratelimit",
  contracts: RateLimitForEdgeContracts,
  layer: (env: ServiceEnv) => Layer.merge(rateLimitLayer(env), rateLimitHealthLayer(env)),
  handlers: {
    /** Deep health (contracts/src/health.ts): probes of what this worker is bound to, see src/ratelimit_health.ts. */
    health: checkHealth,
    // Each records its refusals, sampled (src/refusal_audit.ts).
    /** Counts one request against `key`. */
    check: checkWindow,
    /** Steps the progressive delay of `key` (issue 9 §4). */
    backoff: stepBackoff,
    /** Several checks of one request (issue 10): one Durable Object request per distinct shard among them. */
    checkMany: checkBatch,
    /** One ping per counter shard (src/shard_warm_up.ts); see docs/performance.md "Shard warm-up" for whether anything calls it. */
    warmUp: warmUpShards
  }
}) {
  constructor(ctx: ExecutionContext, env: ServiceEnv) {
    // With the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter).
    super(ctx, meteredEnv(env, rateLimitBindingMeters))
  }
}
