/**
 * Sessions contract for other Workers (issue 13 §1), implemented by the
 * `SessionsForWorkers` entrypoint of authrim-session: end every session of a
 * user (a fraud system locking an account, an HR system off-boarding someone).
 * Bound only where that is allowed:
 * `services: [{ binding: "AUTHRIM_SESSIONS", service: "authrim-session", entrypoint: "SessionsForWorkers" }]`.
 */
import { contractVersion } from "./contract_version.ts"
import { Schema } from "effect"
import { AuditActor } from "./audit.ts"
import { Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"

/** The caller's reason, kept in the audit trail: 1–200 characters. */
export const EndSessionsReason = Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(200))

/** Method schemas of `SessionsForWorkers`. */
export const SessionsForWorkersContract = {
  /**
   * Ends every session of `userId` (idempotent: a second call ends nothing)
   * and records one `session.ended` audit event per session, naming `actor`
   * and `reason`. Only sessions: refresh tokens issued with offline_access
   * live on (revoke them through the admin API), and RPs are not sent
   * back-channel logout tokens by this call.
   */
  endUserSessions: rpcMethod(
    Schema.Struct({ userId: Schema.String, reason: EndSessionsReason, actor: AuditActor }),
    Schema.Struct({ ended: Schema.Array(Schema.String) }),
    Unavailable
  )
} as const
export const SessionsForWorkersContractVersion = contractVersion(SessionsForWorkersContract, { name: "sessions_for_workers", version: 1 })

/** RPC interface of `SessionsForWorkers` (the type of a consumer's `env.AUTHRIM_SESSIONS`). */
export type SessionsForWorkersRpc = RpcInterface<typeof SessionsForWorkersContract>
