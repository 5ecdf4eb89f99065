/**
 * What each caller of authrim-ratelimit may call (issue 13 §2). The edge is
 * its only caller: `RateLimitForEdge` (edge binding `RATELIMIT`) counts
 * requests, answers back-off delays, reports health and warms shards.
 */
import { HealthContract } from "./health.ts"
import { RateLimitContract } from "./ratelimit.ts"
import type { InterfaceOf } from "./serve_all.ts"
import { WarmUpContract } from "./warm_up.ts"

/** Entrypoint `RateLimitForEdge`. */
export const RateLimitForEdgeContracts = [RateLimitContract, HealthContract, WarmUpContract] as const
/** RPC interface of `RateLimitForEdge`. */
export type RateLimitForEdgeRpc = InterfaceOf<typeof RateLimitForEdgeContracts>
