/**
 * Shard warm-up (DESIGN §5 "shard warm-up of hot DOs", issue 11 §3): a
 * service that owns sharded Durable Objects answers `warmUp` by sending one
 * `ping` (writes nothing) to each listed shard — all of them when none are
 * listed — so the object is instantiated before a user's request needs it.
 * Served by ratelimit (RateLimiterCounter, 1000 shards). Whether a cron
 * calls it in production is decided by measurement: docs/performance.md
 * "Shard warm-up".
 */
import { Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** Shards pinged at once. */
export const WARM_UP_CONCURRENCY = 50

export const WarmUpContract = {
  /** Pings `shards` (default: every shard); a shard that does not answer counts in `failed`, never fails the call. */
  warmUp: rpcMethod(
    Schema.Struct({ shards: Schema.optional(Schema.Array(Schema.Number.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0)))) }),
    Schema.Struct({ pinged: Schema.Number, failed: Schema.Number }),
    Unavailable
  )
} as const
export const WarmUpContractVersion = contractVersion(WarmUpContract, { name: "warm_up", version: 1 })

/** RPC interface of {@link WarmUpContract}. */
export type WarmUpRpc = RpcInterface<typeof WarmUpContract>
