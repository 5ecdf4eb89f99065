/**
 * The ratelimit service's one Layer: the `RateLimiterCounter` namespace its
 * handlers route to, and the audit trail, built once per isolate from the env (contracts `serveAll`).
 */
import { auditTrailLayer, type AuditTrail } from "@authrim/audit-trail"
import { Context, Layer } from "effect"
import type { ServiceEnv } from "./env.ts"
import type { RateLimiterCounter } from "./rate_limiter_counter.ts"

export class CounterNamespace extends Context.Service<CounterNamespace, DurableObjectNamespace<RateLimiterCounter>>()(
  "authrim-ratelimit/CounterNamespace"
) {}

/** The counters and the audit trail (sampled `rate_limit.refused`, src/refusal_audit.ts). */
export const rateLimitLayer = (env: ServiceEnv): Layer.Layer<CounterNamespace | AuditTrail> =>
  Layer.merge(Layer.succeed(CounterNamespace)(env.RATE_LIMITER_COUNTER), auditTrailLayer(env.AUDIT_QUEUE))
