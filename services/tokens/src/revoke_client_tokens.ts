/**
 * Everything a deleted client was issued stops working (issue 12): its refresh
 * families are revoked in the client's 8 RefreshTokenRotator shards (families
 * are grouped by client, `rt:<clientId>:<k>`, so no index is needed), and
 * every TokenRevocationStore shard records the client with the time of the
 * cut, so an access token of that client issued before it is refused by the
 * very read that checks its jti — no extra DO request per token use. The row
 * lives as long as the longest access token can (1 h, settings' upper bound,
 * plus a margin for clocks), then the shard's alarm purges it.
 * Cost per deletion: 8 + 32 DO requests, 32 rows written (+ one per family), one audit message
 * (`token.revoked`, subject the client, reason `client_deleted`).
 */
import type { AuditTrail } from "@authrim/audit-trail"
import type { Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { auditClientTokensRevoked } from "./token_audit.ts"
import { refreshShardsPerClient, revocationShardCount } from "./shard_routing.ts"
import { callStore, TokenStores } from "./token_stores.ts"

/** Revocation reason of a deleted client's families. */
export const CLIENT_DELETED = "client_deleted"

/** The longest an access token can live (settings allow at most 3 600 s) plus five minutes of clock margin. */
const CLIENT_CUT_MEMORY_MS = (3_600 + 300) * 1000

const twoDigits = (n: number): string => n.toString().padStart(2, "0")

/** Revokes every refresh family and access token of `clientId` issued until now. Idempotent. */
export const revokeClientTokens = Effect.fnUntraced(function*(input: { readonly clientId: string }): Effect.fn.Return<{ familiesRevoked: number }, Unavailable, TokenStores | AuditTrail> {
  const stores = yield* TokenStores
  const now = yield* Clock.currentTimeMillis
  const counts = yield* Effect.forEach(
    Array.from({ length: refreshShardsPerClient }, (_, k) => k),
    (k) => callStore("refresh.revokeClient", () =>
      stores.refreshRotator(`rt:${input.clientId}:${k}`).revokeClient({ clientId: input.clientId, reason: CLIENT_DELETED, now })),
    { concurrency: refreshShardsPerClient }
  )
  yield* Effect.forEach(
    Array.from({ length: revocationShardCount }, (_, n) => `rv${twoDigits(n)}`),
    (shard) => callStore("revocations.revokeClient", () =>
      stores.revocationStore(shard).revokeClient({ clientId: input.clientId, now, expiresAt: now + CLIENT_CUT_MEMORY_MS })),
    { concurrency: 8, discard: true }
  )
  const familiesRevoked = counts.reduce((a, b) => a + b, 0)
  yield* auditClientTokensRevoked(input.clientId, familiesRevoked)
  return { familiesRevoked }
})
