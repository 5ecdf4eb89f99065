/**
 * Step-up re-authentication of an existing session (`SessionService`).
 *
 * Account security changes (passkeys, TOTP, password, email) need a recent
 * authentication. When the user re-authenticates for one, the browser keeps
 * its session (same `sid`, so the RPs it signed into and their back-channel
 * logout records stay attached) and only the authentication facts move:
 * `authTime`, `amr`, `acr` — as OIDC `auth_time` does after a `prompt=login`.
 */
import { Schema } from "effect"
import { NotFound, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"
import { Session } from "./session.ts"

/** Method schemas the session service adds for step-up. */
export const SessionReauthContract = {
  /**
   * Records a fresh authentication on live session `sessionId` of `userId`
   * and returns the updated session. `NotFound` when the session is unknown,
   * revoked, expired or belongs to another user (a revoked session is never
   * brought back: the write is an UPDATE of an existing row only).
   */
  recordReauthentication: rpcMethod(
    Schema.Struct({
      sessionId: Schema.String,
      userId: Schema.String,
      authTime: Schema.Number,
      amr: Schema.Array(Schema.String),
      acr: Schema.NullOr(Schema.String)
    }),
    Session,
    Schema.Union([NotFound, Unavailable])
  )
} as const
export const SessionReauthContractVersion = contractVersion(SessionReauthContract, { name: "session_reauth", version: 1 })

/** RPC interface the session service adds for step-up. */
export type SessionReauthRpc = RpcInterface<typeof SessionReauthContract>
