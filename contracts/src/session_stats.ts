/**
 * Counting live sessions for the admin console's dashboard (issue 12 §2). Served by the
 * session service from D1 `sessions` — the write-through copy of every session
 * (services/session/storage-schema.md), so one indexed COUNT answers it without asking
 * the 100 SessionStore shards. Additive: an older session worker simply lacks the method.
 */
import { Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

export const SessionStatsContract = {
  /** Sessions not yet expired (revoked ones are deleted, so they are not counted), as of `at` (epoch ms). */
  countActiveSessions: rpcMethod(
    Schema.Struct({}),
    Schema.Struct({ active: Schema.Number, at: Schema.Number }),
    Unavailable
  )
} as const
export const SessionStatsContractVersion = contractVersion(SessionStatsContract, { name: "session_stats", version: 1 })

/** RPC interface of {@link SessionStatsContract}. */
export type SessionStatsRpc = RpcInterface<typeof SessionStatsContract>
