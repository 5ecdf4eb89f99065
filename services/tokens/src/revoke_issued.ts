/**
 * Revoking what a grant issued: access tokens go on the jti denylist
 * (TokenRevocationStore, until they would expire), a refresh family is
 * revoked in its RefreshTokenRotator, which hands back the access tokens it
 * issued so they are denylisted too (RFC 7009 §2.1: revoking a refresh token
 * should invalidate the access tokens of the same grant).
 */
import type { Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import type { IssuedAccess } from "./refresh_token_rotator.ts"
import { refreshShardName, revocationShardName } from "./shard_routing.ts"
import { callStore, TokenStores } from "./token_stores.ts"

/** Puts access tokens on the denylist (idempotent; already-expired ones are skipped by the store). */
export const denylistAccessTokens = Effect.fnUntraced(function*(tokens: ReadonlyArray<IssuedAccess>, reason: string): Effect.fn.Return<void, Unavailable, TokenStores> {
  const stores = yield* TokenStores
  const now = yield* Clock.currentTimeMillis
  yield* Effect.forEach(
    tokens,
    (token) => callStore("revocations.revoke", () =>
      stores.revocationStore(revocationShardName(token.jti)).revoke({ jti: token.jti, reason, now, expiresAt: token.expiresAt })),
    { concurrency: "unbounded", discard: true }
  )
})

/**
 * Revokes a family of `clientId` and denylists its access tokens.
 * `presentedHash` null revokes by id (code replay); `tombstone` blocks a family
 * the replayed code's first redemption has not created yet.
 */
export const revokeFamily = Effect.fnUntraced(function*(input: {
  readonly clientId: string
  readonly familyId: string
  readonly presentedHash: string | null
  readonly reason: string
  readonly tombstone: boolean
}): Effect.fn.Return<void, Unavailable, TokenStores> {
  const stores = yield* TokenStores
  const now = yield* Clock.currentTimeMillis
  const rotator = stores.refreshRotator(refreshShardName(input.clientId, input.familyId))
  const accessTokens = yield* callStore("refresh.revoke", () => rotator.revoke({ ...input, now }))
  yield* denylistAccessTokens(accessTokens, input.reason)
})
