/** The ratelimit worker's deep health probes (contracts/src/health.ts): counter shard 0 and the audit queue producer. */
import { bindingProbe, durableObjectProbe, healthLayer } from "@authrim/contracts"
import type { ServiceEnv } from "./env.ts"
import { rateLimitShardName } from "./shard.ts"

export const rateLimitHealthLayer = (env: ServiceEnv) =>
  healthLayer("authrim-ratelimit", [
    durableObjectProbe("do:RateLimiterCounter", () => env.RATE_LIMITER_COUNTER.get(env.RATE_LIMITER_COUNTER.idFromName(rateLimitShardName(0)))),
    bindingProbe("queue:AUDIT_QUEUE", env.AUDIT_QUEUE)
  ])
