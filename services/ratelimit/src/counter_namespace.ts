/**
 * The ratelimit service's one Layer: the `RateLimiterCounter` namespace its
 * handlers route to, built once per isolate from the env (contracts `serveAll`).
 */
import { Context, Layer } from "effect"
import type { ServiceEnv } from "./env.ts"
import type { RateLimiterCounter } from "./rate_limiter_counter.ts"

export class CounterNamespace extends Context.Service<CounterNamespace, DurableObjectNamespace<RateLimiterCounter>>()(
  "authrim-ratelimit/CounterNamespace"
) {}

export const rateLimitLayer = (env: ServiceEnv): Layer.Layer<CounterNamespace> => Layer.succeed(CounterNamespace)(env.RATE_LIMITER_COUNTER)
