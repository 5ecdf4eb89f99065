/** `RateLimitService` entrypoint: the RPC surface of `contracts/src/ratelimit.ts`. */
import { WorkerEntrypoint } from "cloudflare:workers"
import { serve, type RpcInterface } from "@authrim/contracts/rpc"
import { RateLimitContract } from "@authrim/contracts/ratelimit"
import { backoffInShard, checkManyInShards, countInShard } from "./count_in_shard.ts"
import type { ServiceEnv } from "./env.ts"
import { meteredEnv } from "@authrim/cost-meter"
import { rateLimitBindingMeters } from "./env.ts"

export class RateLimitService extends WorkerEntrypoint<ServiceEnv> implements RpcInterface<typeof RateLimitContract> {
  constructor(ctx: ExecutionContext, env: ServiceEnv) {
    // With the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter).
    super(ctx, meteredEnv(env, rateLimitBindingMeters))
  }

  /** Counts one request against `key`; input that fails `RateLimitCheck` is refused by `serve`. */
  check(input: typeof RateLimitContract.check.input.Encoded) {
    return serve(RateLimitContract.check, input, (check) => countInShard(this.env.RATE_LIMITER_COUNTER, check))
  }

  /** Steps the progressive delay of `key` (issue 9 §4); input that fails `BackoffCheck` is refused by `serve`. */
  backoff(input: typeof RateLimitContract.backoff.input.Encoded) {
    return serve(RateLimitContract.backoff, input, (check) => backoffInShard(this.env.RATE_LIMITER_COUNTER, check))
  }

  /** Several checks of one request (issue 10): one Durable Object request per distinct shard among them. */
  checkMany(input: typeof RateLimitContract.checkMany.input.Encoded) {
    return serve(RateLimitContract.checkMany, input, (batch) => checkManyInShards(this.env.RATE_LIMITER_COUNTER, batch))
  }
}
