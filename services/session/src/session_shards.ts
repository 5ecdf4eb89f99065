/**
 * The session service's one Layer: `SessionShards`, the typed client of each
 * SessionStore shard, built once per isolate from the env (`serveAll`), and
 * `onShard`, the routing every entrypoint handler goes through.
 *
 * A client per shard is made on first use and kept (at most 100); the Durable
 * Object stub behind it is taken per call, as the runtime expects of stubs.
 */
import {
  authrimEnvOf,
  makeClient,
  systemSettingsLayer,
  type Misconfigured,
  NotFound,
  type RpcClient,
  type RpcFailure,
  type RpcInterface,
  SessionContract,
  SessionLogoutContract,
  SessionReauthContract,
  Unavailable
} from "@authrim/contracts"
import { auditTrailLayer, type AuditTrail } from "@authrim/audit-trail"
import { Context, Effect, Layer } from "effect"
import type { SessionEnv } from "./env.ts"
import { sessionShardName } from "./session_shard.ts"

/** Everything a SessionStore shard serves, as typed Effects (transport faults are `RpcFailure`). */
export type SessionShardClient =
  & RpcClient<typeof SessionContract>
  & RpcClient<typeof SessionLogoutContract>
  & RpcClient<typeof SessionReauthContract>

export class SessionShards extends Context.Service<SessionShards, {
  /** The client of shard `shard` (0 … 99). */
  client(shard: number): SessionShardClient
}>()("authrim-session/SessionShards") {}

/**
 * The shard's RPC methods as plain functions over a stub taken per call (`makeClient` calls
 * `binding[name](…)`; a stub is not kept across requests).
 */
const shardRpc = (namespace: SessionEnv["SESSION_STORE"], shard: number) => {
  const stub = () => namespace.get(namespace.idFromName(sessionShardName(shard)))
  const session: RpcInterface<typeof SessionContract> = {
    create: (input) => stub().create(input),
    authenticate: (input) => stub().authenticate(input),
    get: (input) => stub().get(input),
    revoke: (input) => stub().revoke(input),
    listForUser: (input) => stub().listForUser(input),
    revokeForUser: (input) => stub().revokeForUser(input)
  }
  const logout: RpcInterface<typeof SessionLogoutContract> = {
    recordClient: (input) => stub().recordClient(input),
    authenticateForClient: (input) => stub().authenticateForClient(input),
    endSession: (input) => stub().endSession(input),
    endSessionsForUser: (input) => stub().endSessionsForUser(input),
    allowNewSessions: (input) => stub().allowNewSessions(input)
  }
  const reauth: RpcInterface<typeof SessionReauthContract> = {
    recordReauthentication: (input) => stub().recordReauthentication(input)
  }
  return { session, logout, reauth }
}

/** Everything the session service's handlers need, from its env: the shards and the audit trail (src/session_audit.ts). */
export const sessionLayer = (env: SessionEnv): Layer.Layer<SessionShards | AuditTrail> =>
  Layer.mergeAll(sessionShardsLayer(env), auditTrailLayer(env.AUDIT_QUEUE), systemSettingsLayer(env.SETTINGS, authrimEnvOf(env), "session"))

/** The shard clients alone (tests provide their own AuditTrail beside it). */
export const sessionShardsLayer = (env: SessionEnv): Layer.Layer<SessionShards> => {
  const clients = new Map<number, SessionShardClient>()
  return Layer.succeed(SessionShards)({
    client: (shard) => {
      let client = clients.get(shard)
      if (client === undefined) {
        const rpc = shardRpc(env.SESSION_STORE, shard)
        client = {
          ...makeClient("session-store", SessionContract, rpc.session, "durableObjectCalls"),
          ...makeClient("session-store", SessionLogoutContract, rpc.logout, "durableObjectCalls"),
          ...makeClient("session-store", SessionReauthContract, rpc.reauth, "durableObjectCalls")
        }
        clients.set(shard, client)
      }
      return client
    }
  })
}

/**
 * Runs `call` on shard `shard`. `undefined` (no shard could be read from the input: a malformed id
 * or cookie) is `NotFound` without any Durable Object call; a transport fault or a defect inside
 * the object (`RpcFailure`) is `Unavailable` (503 at the edge).
 */
export const onShard = <A>(
  shard: number | undefined,
  call: (client: SessionShardClient) => Effect.Effect<A, NotFound | Unavailable | Misconfigured | RpcFailure>
): Effect.Effect<A, NotFound | Unavailable | Misconfigured, SessionShards> =>
  shard === undefined
    ? Effect.fail(new NotFound({ what: "session" }))
    : SessionShards.use((shards) => call(shards.client(shard))).pipe(
      Effect.catchTag("RpcFailure", (failure) => Effect.fail(new Unavailable({ service: "session", reason: failure.reason })))
    )
