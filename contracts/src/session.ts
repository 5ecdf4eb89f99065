/**
 * Session service contract (`SessionService` entrypoint of `services/session`).
 * Session ids route to their shard by themselves (the shard is inside the id).
 *
 * The session `id` is public (it is the ID token's `sid` and shows on the
 * account page); the browser holds a separate `cookie` value that carries the
 * id plus a secret whose hash alone is stored. Knowing a `sid` therefore never
 * lets anyone ride the session.
 */
import { Schema } from "effect"
import { NotFound, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** A signed-in browser session. Times are epoch ms. */
export const Session = Schema.Struct({
  id: Schema.String,
  userId: Schema.String,
  createdAt: Schema.Number,
  expiresAt: Schema.Number,
  /** When the user last actively authenticated (OIDC `auth_time`, epoch ms). */
  authTime: Schema.Number,
  amr: Schema.Array(Schema.String),
  acr: Schema.NullOr(Schema.String),
  deviceName: Schema.NullOr(Schema.String),
  ipAddress: Schema.NullOr(Schema.String),
  userAgent: Schema.NullOr(Schema.String)
})
/** Type of {@link Session}. */
export type Session = typeof Session.Type

const SessionFailure = Schema.Union([NotFound, Unavailable])

/** Method schemas of the session service. */
export const SessionContract = {
  /** Opens a session after a successful authentication. `ttlSeconds` defaults to 24 h. */
  create: rpcMethod(
    Schema.Struct({
      userId: Schema.String,
      amr: Schema.Array(Schema.String),
      acr: Schema.NullOr(Schema.String),
      authTime: Schema.Number,
      deviceName: Schema.NullOr(Schema.String),
      ipAddress: Schema.NullOr(Schema.String),
      userAgent: Schema.NullOr(Schema.String),
      ttlSeconds: Schema.optional(Schema.Number),
      /**
       * A client about to receive a code for this session: recorded with it for back-channel
       * logout in the same call (`recordClient` saved). An older session service ignores it and
       * answers without `clientRecorded`; the caller then records the client itself.
       */
      recordClientId: Schema.optional(Schema.String)
    }),
    Schema.Struct({
      session: Session,
      cookie: Schema.String,
      /** True when `recordClientId` was recorded; absent from an older session service. */
      clientRecorded: Schema.optional(Schema.Boolean)
    }),
    SessionFailure
  ),
  /** The live session a browser cookie value belongs to; `NotFound` when unknown, malformed, forged, revoked or expired. */
  authenticate: rpcMethod(Schema.Struct({ cookie: Schema.String }), Session, SessionFailure),
  /** A live session by its public id; `NotFound` when unknown, malformed, revoked or expired. */
  get: rpcMethod(Schema.Struct({ sessionId: Schema.String }), Session, SessionFailure),
  /** Ends a session (idempotent). */
  revoke: rpcMethod(
    Schema.Struct({ sessionId: Schema.String }),
    /** `userId`: whose session this call ended (absent when it ended nothing, or from an older shard). */
    Schema.Struct({ revoked: Schema.Boolean, userId: Schema.optional(Schema.String) }),
    SessionFailure
  ),
  /** Live sessions of one user (account page). */
  listForUser: rpcMethod(Schema.Struct({ userId: Schema.String }), Schema.Struct({ sessions: Schema.Array(Session) }), SessionFailure),
  /**
   * Ends every session of a user ("sign out everywhere", after a password
   * reset), except `keepSessionId` when given (the browser that asked).
   * Idempotent; `revoked` = the ids this call ended, so a caller can notify
   * their RPs (back-channel logout).
   */
  revokeForUser: rpcMethod(
    Schema.Struct({ userId: Schema.String, keepSessionId: Schema.optional(Schema.String) }),
    Schema.Struct({ revoked: Schema.Array(Schema.String) }),
    SessionFailure
  )
} as const
export const SessionContractVersion = contractVersion(SessionContract, { name: "session", version: 1 })

/** RPC interface of `SessionService`. */
export type SessionRpc = RpcInterface<typeof SessionContract>
