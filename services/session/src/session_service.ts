/**
 * `SessionService` entrypoint (binding `SESSION`): routes every call to its
 * SessionStore shard — by user id for `create`/`listForUser`, by the shard
 * inside the session id (or the id inside the cookie) otherwise. A malformed
 * id or cookie is `NotFound` without any DO call. A transport fault or a DO
 * defect becomes `Unavailable` (503 at the edge).
 */
import { WorkerEntrypoint } from "cloudflare:workers"
import { makeClient, NotFound, serve, SessionContract, SessionLogoutContract, SessionReauthContract, Unavailable, type Misconfigured, type RpcClient, type RpcFailure, type RpcInterface } from "@authrim/contracts"
import { Effect } from "effect"
import type { SessionEnv } from "./env.ts"
import { onSessionShard, onUserShard } from "./logout_routing.ts"
import { parseCookie, shardOfSessionId } from "./session_id.ts"
import { sessionShardFor, sessionShardName } from "./session_shard.ts"
import { meteredEnv } from "@authrim/cost-meter"
import { sessionBindingMeters } from "./env.ts"

type Shard = RpcClient<typeof SessionContract>

/**
 * Typed client of shard `shard`. The stub is wrapped in plain functions
 * because `makeClient` invokes `binding[name].call(binding, …)`, and on a
 * DO stub `.call` is itself read as a remote method ("The RPC receiver does
 * not implement the method \"call\"").
 */
const shardClient = (env: SessionEnv, shard: number): Shard => {
  const stub = env.SESSION_STORE.get(env.SESSION_STORE.idFromName(sessionShardName(shard)))
  const shardRpc: RpcInterface<typeof SessionContract> = {
    create: (input) => stub.create(input),
    authenticate: (input) => stub.authenticate(input),
    get: (input) => stub.get(input),
    revoke: (input) => stub.revoke(input),
    listForUser: (input) => stub.listForUser(input),
    revokeForUser: (input) => stub.revokeForUser(input)
  }
  return makeClient("session-store", SessionContract, shardRpc)
}

/** Runs `call` against `shard` (NotFound when the shard could not be read from the input). */
const onShard = <A>(
  env: SessionEnv,
  shard: number | undefined,
  call: (client: Shard) => Effect.Effect<A, NotFound | Unavailable | Misconfigured | RpcFailure>
): Effect.Effect<A, NotFound | Unavailable | Misconfigured> =>
  shard === undefined
    ? Effect.fail(new NotFound({ what: "session" }))
    : call(shardClient(env, shard)).pipe(
      Effect.catchTag("RpcFailure", (failure) => Effect.fail(new Unavailable({ service: "session", reason: failure.reason })))
    )

export class SessionService extends WorkerEntrypoint<SessionEnv>
  implements RpcInterface<typeof SessionContract>, RpcInterface<typeof SessionLogoutContract>, RpcInterface<typeof SessionReauthContract> {
  constructor(ctx: ExecutionContext, env: SessionEnv) {
    // With the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter).
    super(ctx, meteredEnv(env, sessionBindingMeters))
  }

  create(input: typeof SessionContract.create.input.Encoded) {
    return serve(SessionContract.create, input, (i) => onShard(this.env, sessionShardFor(i.userId), (shard) => shard.create(i)))
  }

  authenticate(input: typeof SessionContract.authenticate.input.Encoded) {
    return serve(SessionContract.authenticate, input, (i) => {
      const parsed = parseCookie(i.cookie)
      return onShard(this.env, parsed && shardOfSessionId(parsed.sessionId), (shard) => shard.authenticate(i))
    })
  }

  get(input: typeof SessionContract.get.input.Encoded) {
    return serve(SessionContract.get, input, (i) => onShard(this.env, shardOfSessionId(i.sessionId), (shard) => shard.get(i)))
  }

  revoke(input: typeof SessionContract.revoke.input.Encoded) {
    return serve(SessionContract.revoke, input, (i) => onShard(this.env, shardOfSessionId(i.sessionId), (shard) => shard.revoke(i)))
  }

  listForUser(input: typeof SessionContract.listForUser.input.Encoded) {
    return serve(SessionContract.listForUser, input, (i) => onShard(this.env, sessionShardFor(i.userId), (shard) => shard.listForUser(i)))
  }

  revokeForUser(input: typeof SessionContract.revokeForUser.input.Encoded) {
    return serve(SessionContract.revokeForUser, input, (i) => onShard(this.env, sessionShardFor(i.userId), (shard) => shard.revokeForUser(i)))
  }

  recordReauthentication(input: typeof SessionReauthContract.recordReauthentication.input.Encoded) {
    return serve(SessionReauthContract.recordReauthentication, input, (i) => {
      const shard = shardOfSessionId(i.sessionId)
      if (shard === undefined) return Effect.fail(new NotFound({ what: "session" }))
      const stub = this.env.SESSION_STORE.get(this.env.SESSION_STORE.idFromName(sessionShardName(shard)))
      return makeClient("session-store", SessionReauthContract, { recordReauthentication: (input) => stub.recordReauthentication(input) })
        .recordReauthentication(i)
        .pipe(Effect.catchTag("RpcFailure", (failure) => Effect.fail(new Unavailable({ service: "session", reason: failure.reason }))))
    })
  }

  recordClient(input: typeof SessionLogoutContract.recordClient.input.Encoded) {
    return serve(SessionLogoutContract.recordClient, input, (i) => onSessionShard(this.env, i.sessionId, (shard) => shard.recordClient(i)))
  }

  authenticateForClient(input: typeof SessionLogoutContract.authenticateForClient.input.Encoded) {
    return serve(SessionLogoutContract.authenticateForClient, input, (i) => {
      const parsed = parseCookie(i.cookie)
      return parsed === undefined || parsed.sessionId !== i.sessionId
        ? Effect.fail(new NotFound({ what: "session" }))
        : onSessionShard(this.env, i.sessionId, (shard) => shard.authenticateForClient(i))
    })
  }

  endSession(input: typeof SessionLogoutContract.endSession.input.Encoded) {
    return serve(SessionLogoutContract.endSession, input, (i) => onSessionShard(this.env, i.sessionId, (shard) => shard.endSession(i)))
  }

  endSessionsForUser(input: typeof SessionLogoutContract.endSessionsForUser.input.Encoded) {
    return serve(SessionLogoutContract.endSessionsForUser, input, (i) => onUserShard(this.env, i.userId, (shard) => shard.endSessionsForUser(i)))
  }
}
