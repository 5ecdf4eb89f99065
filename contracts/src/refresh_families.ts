/**
 * Refresh-family lifetime contract (`TokensService`, issue 9 §2): refresh
 * families end with what they were granted for. The edge calls these when a
 * session ends, or when the user's credentials or sessions are reset.
 *
 * - `revokeFamiliesForSession`: a session ended (RP-initiated logout, account
 *   sign-out of one session). Its online families are revoked with their access
 *   tokens; offline (`offline_access`) families survive but stop carrying that
 *   session's `sid` in refreshed ID tokens.
 * - `revokeAllForUser`: password reset or change, "sign out everywhere",
 *   user disable/delete, admin "revoke all": EVERY family of the user, offline
 *   ones included, with their access tokens. A family whose grant was issued
 *   before the call and is created concurrently with it is refused.
 * - `revokeFamiliesForClient`: an admin revoked the user's consent for one
 *   client: every family of that user and client, the same way.
 */
import { Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** Why every family of a user is revoked (recorded as the families' and access tokens' revocation reason). */
export const RevokeAllReason = Schema.Literals([
  /** Every session of the user was ended, the cause not told (the edge's default for credential changes). */
  "all_sessions_ended",
  "password_reset",
  "password_change",
  "sign_out_everywhere",
  "user_disabled",
  "user_deleted",
  "admin_revoke_all"
])
/** Type of {@link RevokeAllReason}. */
export type RevokeAllReason = typeof RevokeAllReason.Type

const RefreshFamiliesFailure = Unavailable

/** Method schemas of refresh-family lifetime (on `TokensService`). */
export const RefreshFamiliesContract = {
  /**
   * Session `sid` of `userId` has ended: revoke its online families (and their
   * access tokens), strip `sid` from its offline ones. Idempotent; a family
   * registered for that session afterwards is born revoked (online) or sid-less (offline).
   * `revoked` counts online families revoked, `detached` offline families that lost the sid.
   */
  revokeFamiliesForSession: rpcMethod(
    Schema.Struct({ userId: Schema.String, sid: Schema.String }),
    Schema.Struct({ revoked: Schema.Number, detached: Schema.Number }),
    RefreshFamiliesFailure
  ),
  /**
   * Revokes every refresh family of `userId` and the access tokens they issued.
   * Idempotent; a family whose grant (code, device approval) was issued at or
   * before this call is refused if it is created later.
   */
  revokeAllForUser: rpcMethod(
    Schema.Struct({
      userId: Schema.String,
      reason: RevokeAllReason,
      /**
       * The session the caller leaves signed in (password change). Its families are
       * revoked too, but grants it makes afterwards still get refresh tokens; grants
       * of any other session authenticated before this call are refused.
       */
      keepSessionId: Schema.optional(Schema.String)
    }),
    Schema.Struct({ revoked: Schema.Number }),
    RefreshFamiliesFailure
  ),
  /**
   * Revokes every refresh family of `userId` for `clientId` (an admin revoked
   * the user's consent for that client, issue 12), offline ones included, with
   * their access tokens. Idempotent; a grant of that client to that user issued
   * at or before this call is refused if it would become a family later.
   * Cost: 1 index request + 1 rotator request per family (+ 1 index request when any).
   */
  revokeFamiliesForClient: rpcMethod(
    Schema.Struct({ userId: Schema.String, clientId: Schema.String }),
    Schema.Struct({ revoked: Schema.Number }),
    RefreshFamiliesFailure
  )
} as const
export const RefreshFamiliesContractVersion = contractVersion(RefreshFamiliesContract, { name: "refresh_families", version: 1 })

/** RPC interface of refresh-family lifetime (on `TokensService`). */
export type RefreshFamiliesRpc = RpcInterface<typeof RefreshFamiliesContract>
