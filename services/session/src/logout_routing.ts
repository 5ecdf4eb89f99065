/**
 * Entrypoint side of `SessionLogoutContract`: by-session methods route by the
 * shard named inside the session id, like every other by-id call;
 * `endSessionsForUser` by the user's shard, like `revokeForUser`. A malformed id is
 * `NotFound` without a DO call; a transport fault or DO defect is `Unavailable`.
 */
import { makeClient, NotFound, SessionLogoutContract, Unavailable, type Misconfigured, type RpcClient, type RpcFailure, type RpcInterface } from "@authrim/contracts"
import { Effect } from "effect"
import type { SessionEnv } from "./env.ts"
import { shardOfSessionId } from "./session_id.ts"
import { sessionShardFor, sessionShardName } from "./session_shard.ts"

type LogoutShard = RpcClient<typeof SessionLogoutContract>

/** Typed client of the shard (wrapped in plain functions: see `session_service.ts` on `.call`). */
const logoutShardClient = (env: SessionEnv, shard: number): LogoutShard => {
  const stub = env.SESSION_STORE.get(env.SESSION_STORE.idFromName(sessionShardName(shard)))
  const rpc: RpcInterface<typeof SessionLogoutContract> = {
    recordClient: (input) => stub.recordClient(input),
    authenticateForClient: (input) => stub.authenticateForClient(input),
    endSession: (input) => stub.endSession(input),
    endSessionsForUser: (input) => stub.endSessionsForUser(input)
  }
  return makeClient("session-store", SessionLogoutContract, rpc)
}

/** Runs `call` on the shard of `userId` (where all of that user's sessions live). */
export const onUserShard = <A>(
  env: SessionEnv,
  userId: string,
  call: (shard: LogoutShard) => Effect.Effect<A, NotFound | Unavailable | Misconfigured | RpcFailure>
): Effect.Effect<A, NotFound | Unavailable | Misconfigured> =>
  call(logoutShardClient(env, sessionShardFor(userId))).pipe(
    Effect.catchTag("RpcFailure", (failure) => Effect.fail(new Unavailable({ service: "session", reason: failure.reason })))
  )

/** Runs `call` on the shard of `sessionId`. */
export const onSessionShard = <A>(
  env: SessionEnv,
  sessionId: string,
  call: (shard: LogoutShard) => Effect.Effect<A, NotFound | Unavailable | Misconfigured | RpcFailure>
): Effect.Effect<A, NotFound | Unavailable | Misconfigured> => {
  const shard = shardOfSessionId(sessionId)
  return shard === undefined
    ? Effect.fail(new NotFound({ what: "session" }))
    : call(logoutShardClient(env, shard)).pipe(
      Effect.catchTag("RpcFailure", (failure) => Effect.fail(new Unavailable({ service: "session", reason: failure.reason })))
    )
}
