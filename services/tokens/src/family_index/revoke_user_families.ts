/**
 * Ending refresh families with what they were granted for (issue 9 §2):
 * a session's end revokes its online families and detaches its offline ones;
 * "revoke all" revokes every family of the user. Each is three steps — the
 * user's index shard records the cutoff and lists the families (one step, so
 * no registration slips between), each family is revoked (tombstone: one not
 * created yet is born revoked) with its access tokens put on the denylist,
 * then the index forgets what was done. A failure before the last step leaves
 * the families listed, so a retry finds them again.
 */
import type { AuditTrail } from "@authrim/audit-trail"
import type { RefreshFamiliesContract, Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { revokeFamily } from "../revoke_issued.ts"
import { auditFamiliesRevoked } from "../token_audit.ts"
import { familyIndexShardName, refreshShardName } from "../shard_routing.ts"
import { callStore, TokenStores } from "../token_stores.ts"
import type { IndexedFamily } from "./refresh_family_index.ts"

type SessionInput = typeof RefreshFamiliesContract.revokeFamiliesForSession.input.Type
type AllInput = typeof RefreshFamiliesContract.revokeAllForUser.input.Type
type ClientInput = typeof RefreshFamiliesContract.revokeFamiliesForClient.input.Type

/** Rotator calls in flight at once for one user (each is one DO request, plus one per live access token). */
const FAMILY_CONCURRENCY = 8

/** Revocation reason recorded when a family's session ended. */
export const SESSION_ENDED = "session_ended"

const revokeAll = (families: ReadonlyArray<IndexedFamily>, reason: string) =>
  Effect.forEach(
    families,
    (f) => revokeFamily({ clientId: f.clientId, familyId: f.familyId, presentedHash: null, reason, tombstone: true }),
    { concurrency: FAMILY_CONCURRENCY, discard: true }
  )

/** Session `sid` ended: its online families are revoked, its offline ones stop naming it. */
export const revokeFamiliesForSession = Effect.fnUntraced(function*(input: SessionInput): Effect.fn.Return<{ revoked: number; detached: number }, Unavailable, TokenStores | AuditTrail> {
  const stores = yield* TokenStores
  const now = yield* Clock.currentTimeMillis
  const index = stores.familyIndex(familyIndexShardName(input.userId))
  const listed = yield* callStore("familyIndex.beginRevokeSession", () => index.beginRevokeSession({ userId: input.userId, sid: input.sid, now }))
  const online = listed.filter((f) => !f.offline)
  const offline = listed.filter((f) => f.offline)
  yield* revokeAll(online, SESSION_ENDED)
  yield* Effect.forEach(
    offline,
    (f) => callStore("refresh.detachSession", () => stores.refreshRotator(refreshShardName(f.clientId, f.familyId)).detachSession({
      familyId: f.familyId, clientId: f.clientId, userId: input.userId, sid: input.sid, now
    })),
    { concurrency: FAMILY_CONCURRENCY, discard: true }
  )
  if (listed.length > 0) {
    yield* callStore("familyIndex.settle", () => index.settle({
      userId: input.userId, revokedFamilyIds: online.map((f) => f.familyId), detachedFamilyIds: offline.map((f) => f.familyId)
    }))
  }
  yield* auditFamiliesRevoked(input.userId, online, SESSION_ENDED)
  return { revoked: online.length, detached: offline.length }
})

/** Every family of the user, offline ones included, with the access tokens they issued. */
export const revokeAllForUser = Effect.fnUntraced(function*(input: AllInput): Effect.fn.Return<{ revoked: number }, Unavailable, TokenStores | AuditTrail> {
  const stores = yield* TokenStores
  const now = yield* Clock.currentTimeMillis
  const index = stores.familyIndex(familyIndexShardName(input.userId))
  const listed = yield* callStore("familyIndex.beginRevokeAll", () =>
    index.beginRevokeAll({ userId: input.userId, keepSid: input.keepSessionId ?? null, now }))
  yield* revokeAll(listed, input.reason)
  if (listed.length > 0) {
    yield* callStore("familyIndex.settle", () => index.settle({
      userId: input.userId, revokedFamilyIds: listed.map((f) => f.familyId), detachedFamilyIds: []
    }))
  }
  yield* auditFamiliesRevoked(input.userId, listed, input.reason)
  return { revoked: listed.length }
})

/** Revocation reason recorded when an admin revoked the user's consent for the client. */
export const CONSENT_REVOKED = "consent_revoked"

/** Every family of the user for one client (consent revoked by an admin), offline ones included, with their access tokens. */
export const revokeFamiliesForClient = Effect.fnUntraced(function*(input: ClientInput): Effect.fn.Return<{ revoked: number }, Unavailable, TokenStores> {
  const stores = yield* TokenStores
  const now = yield* Clock.currentTimeMillis
  const index = stores.familyIndex(familyIndexShardName(input.userId))
  const listed = yield* callStore("familyIndex.beginRevokeClient", () =>
    index.beginRevokeClient({ userId: input.userId, clientId: input.clientId, now }))
  yield* revokeAll(listed, CONSENT_REVOKED)
  if (listed.length > 0) {
    yield* callStore("familyIndex.settle", () => index.settle({
      userId: input.userId, revokedFamilyIds: listed.map((f) => f.familyId), detachedFamilyIds: []
    }))
  }
  return { revoked: listed.length }
})
