/**
 * Logout contracts: OpenID Connect RP-Initiated Logout 1.0 and Back-Channel
 * Logout 1.0. Two services implement them, each beside its own contract:
 *
 * - `SessionLogoutContract` (`SessionService`): which RPs a session signed
 *   into, and ending a session so that its RPs can be told.
 * - `TokensLogoutContract` (`TokensService`): verifying an `id_token_hint`
 *   with the provider's own keys, and queueing signed logout tokens for the
 *   RPs' `backchannel_logout_uri`s (delivered and retried off the user's path).
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { SigningAlg } from "./keys.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"
import { Session } from "./session.ts"

const SessionLogoutFailure = Schema.Union([NotFound, Unavailable])

/** Method schemas the session service adds for logout. */
export const SessionLogoutContract = {
  /**
   * Remembers that `clientId` received a code for session `sessionId`, so the
   * RP hears about the session's end. Idempotent and cheap: one call to the
   * session's shard, a write only the first time per (session, client).
   * `expiresAt` is the session's (the record is dropped after it).
   */
  recordClient: rpcMethod(
    Schema.Struct({ sessionId: Schema.String, clientId: Schema.String, expiresAt: Schema.Number }),
    Schema.Struct({}),
    SessionLogoutFailure
  ),
  /**
   * `authenticate` + `recordClient` in one call to the session's shard, for the
   * last step of a sign-in that is about to issue a code (the consent
   * approval): the live session of browser cookie `cookie`, which must be
   * session `sessionId` (the one that signed in), with `clientId` recorded for
   * it. `NotFound` — and nothing recorded — when the cookie is unknown, forged,
   * revoked, expired or belongs to another session.
   */
  authenticateForClient: rpcMethod(
    Schema.Struct({ cookie: Schema.String, sessionId: Schema.String, clientId: Schema.String }),
    Session,
    SessionLogoutFailure
  ),
  /**
   * Ends a session and hands back the clients it signed into (each once: a
   * repeated call returns none). `revoked` is true for the call that ended it.
   */
  endSession: rpcMethod(
    Schema.Struct({ sessionId: Schema.String }),
    /** `userId`: whose session this call ended (absent when it ended nothing, or from an older shard). */
    Schema.Struct({ revoked: Schema.Boolean, clientIds: Schema.Array(Schema.String), userId: Schema.optional(Schema.String) }),
    SessionLogoutFailure
  ),
  /**
   * `revokeForUser` for callers that must tell the RPs (sign out everywhere,
   * password reset or change): ends every session of `userId` but
   * `keepSessionId`, and takes the recorded clients of each ended session —
   * with the same exactly-once hand-out as `endSession`, also when racing it.
   * `ended` lists the sessions this call ended, plus any session ended by a
   * concurrent call whose clients this call took; the caller sends one
   * back-channel logout per (session, client).
   */
  endSessionsForUser: rpcMethod(
    Schema.Struct({
      userId: Schema.String,
      keepSessionId: Schema.optional(Schema.String),
      /**
       * Issue 12 (additive): the user was disabled or deleted — before the sweep the shard marks the user
       * so that no session of theirs can be created until `allowNewSessions` (a sign-in whose credential
       * was accepted just before the disable cannot open a session after it). An older service ignores it.
       */
      blockNewSessions: Schema.optional(Schema.Boolean)
    }),
    Schema.Struct({
      ended: Schema.Array(Schema.Struct({ sessionId: Schema.String, clientIds: Schema.Array(Schema.String) }))
    }),
    SessionLogoutFailure
  ),
  /** Issue 12: the user was enabled again — clears `blockNewSessions`'s mark (idempotent). */
  allowNewSessions: rpcMethod(Schema.Struct({ userId: Schema.String }), Schema.Struct({}), SessionLogoutFailure)
} as const
export const SessionLogoutContractVersion = contractVersion(SessionLogoutContract, { name: "session_logout", version: 1 })

/** RPC interface the session service adds for logout. */
export type SessionLogoutRpc = RpcInterface<typeof SessionLogoutContract>

/** What a verified `id_token_hint` says (OIDC RP-Initiated Logout §2). */
export const IdTokenHint = Schema.Struct({
  sub: Schema.String,
  /** `aud` of the ID token: the client it was issued to. */
  clientId: Schema.String,
  /** `sid` of the session it was issued under, when present. */
  sid: Schema.NullOr(Schema.String),
  /** Whether it is past `exp` (still acceptable as a hint, per the spec). */
  expired: Schema.Boolean,
  /** OIDC Core §8.1: the real user behind a pairwise `sub` (opened from the ID token's `authrim_user`). Absent: `sub` is the user id. */
  userId: Schema.optional(Schema.String)
})
/** Type of {@link IdTokenHint}. */
export type IdTokenHint = typeof IdTokenHint.Type

/** One RP to tell about an ended session. */
export const BackchannelDelivery = Schema.Struct({
  clientId: Schema.String,
  /** The client's registered `backchannel_logout_uri`. */
  uri: Schema.String,
  /** The client's `id_token_signed_response_alg`: the logout token is signed the same way. */
  alg: SigningAlg,
  /** OIDC Core §8.1: the client's pairwise sector; its logout token then names the pairwise `sub`. Absent: public. */
  pairwiseSector: Schema.optional(Schema.String)
})
/** Type of {@link BackchannelDelivery}. */
export type BackchannelDelivery = typeof BackchannelDelivery.Type

const TokensLogoutFailure = Schema.Union([OAuthError, Unavailable])

/** Method schemas the tokens service adds for logout. */
export const TokensLogoutContract = {
  /**
   * Verifies an ID token this provider issued: signature against its own
   * JWKS (a key retired within 30 days still verifies), `iss`. Expiry is
   * reported, not rejected. Anything else is `invalid_request`.
   */
  verifyIdTokenHint: rpcMethod(Schema.Struct({ issuer: Schema.String, idToken: Schema.String }), IdTokenHint, TokensLogoutFailure),
  /**
   * Issue 14: the pairwise `sub` (OIDC Core §8.1) that clients of `pairwiseSector` see for `userId`, so the
   * edge can match a `sub` value requested in the `claims` parameter (§5.5.1) against the signed-in user.
   * `Unavailable` when the pairwise secret is missing outside development.
   */
  pairwiseSubject: rpcMethod(Schema.Struct({ userId: Schema.String, pairwiseSector: Schema.String }), Schema.Struct({ sub: Schema.String }), TokensLogoutFailure),
  /**
   * Queues one back-channel logout per delivery (Back-Channel Logout 1.0 §2.5).
   * Returns once queued; signing and POSTing happen in the queue consumer,
   * retried with backoff on failure, so the user's logout never waits on an RP.
   */
  queueBackchannelLogout: rpcMethod(
    Schema.Struct({
      issuer: Schema.String,
      sub: Schema.String,
      sid: Schema.String,
      deliveries: Schema.Array(BackchannelDelivery)
    }),
    Schema.Struct({ queued: Schema.Number }),
    TokensLogoutFailure
  )
} as const
export const TokensLogoutContractVersion = contractVersion(TokensLogoutContract, { name: "tokens_logout", version: 2 })

/** RPC interface the tokens service adds for logout. */
export type TokensLogoutRpc = RpcInterface<typeof TokensLogoutContract>
