/**
 * `RateLimitService` entrypoint: the RPC surface of `contracts/src/ratelimit.ts`, served by
 * `serveAll` (input that fails its schema is refused by `serve`).
 */
import { WorkerEntrypoint } from "cloudflare:workers"
import { RateLimitContract, serveAll } from "@authrim/contracts"
import { meteredEnv } from "@authrim/cost-meter"
import { backoffInShard, checkManyInShards, countInShard } from "./count_in_shard.ts"
import { CounterNamespace, rateLimitLayer } from "./counter_namespace.ts"
import { rateLimitBindingMeters, type ServiceEnv } from "./env.ts"

export class RateLimitService extends serveAll(WorkerEntrypoint<ServiceEnv>, {
  contracts: [RateLimitContract],
  layer: (env: ServiceEnv) => rateLimitLayer(env),
  handlers: {
    /** Counts one request against `key`. */
    check: (check) => CounterNamespace.use((counters) => countInShard(counters, check)),
    /** Steps the progressive delay of `key` (issue 9 §4). */
    backoff: (check) => CounterNamespace.use((counters) => backoffInShard(counters, check)),
    /** Several checks of one request (issue 10): one Durable Object request per distinct shard among them. */
    checkMany: (batch) => CounterNamespace.use((counters) => checkManyInShards(counters, batch))
  }
}) {
  constructor(ctx: ExecutionContext, env: ServiceEnv) {
    // With the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter).
    super(ctx, meteredEnv(env, rateLimitBindingMeters))
  }
}
