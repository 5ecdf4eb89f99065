/**
 * `SessionStore` Durable Object: one shard of the session service (100 of
 * them, `session_shard.ts`). Hot = bounded LRU in memory, cold = D1
 * `sessions` (write-through, promotion on miss), expired sessions purged by
 * this object's alarm. Its RPC methods speak the session contract's
 * envelope, so the entrypoint forwards to it with `makeClient`.
 */
import { serve, SessionContract, SessionLogoutContract, SessionReauthContract, Unavailable, type RpcInterface } from "@authrim/contracts"
import { Effect } from "effect"
import type { SessionEnv } from "./env.ts"
import { HotSessions, hotLimitFrom } from "./hot_sessions.ts"
import { LoggedInClients } from "./logged_in_clients.ts"
import { BlockedUsers } from "./blocked_users.ts"
import { authenticateForClient, endSession, endUserSessions, recordClient } from "./logout_operations.ts"
import { recordReauthentication } from "./reauthentication.ts"
import { RevokedSessions } from "./revoked_sessions.ts"
import {
  authenticateCookie,
  createSession,
  getSession,
  listSessions,
  purgeExpired,
  revokeSession,
  revokeUserSessions,
  type ShardState
} from "./shard_operations.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { sessionBindingMeters } from "./env.ts"

/** DO storage key (sync KV) holding this object's shard number, for the alarm's D1 purge. */
const SHARD_KEY = "shard"

const storageFailure = (cause: unknown) =>
  new Unavailable({ service: "session", reason: `SessionStore storage: ${cause instanceof Error ? cause.message : String(cause)}` })

/** Remembers the shard (for the alarm's D1 purge) and pulls the alarm forward to `at` when it is later (or unset). */
const purgeNoLaterThan = Effect.fnUntraced(function*(
  storage: DurableObjectStorage,
  shard: number,
  at: number
): Effect.fn.Return<void, Unavailable> {
  yield* Effect.try({
    try: () => {
      if (storage.kv.get<number>(SHARD_KEY) !== shard) storage.kv.put(SHARD_KEY, shard)
    },
    catch: storageFailure
  })
  const current = yield* Effect.tryPromise({ try: () => storage.getAlarm(), catch: storageFailure })
  if (current === null || current > at) {
    yield* Effect.tryPromise({ try: () => storage.setAlarm(at), catch: storageFailure })
  }
})

export class SessionStore extends MeteredDurableObject<SessionEnv>
  implements RpcInterface<typeof SessionContract>, RpcInterface<typeof SessionLogoutContract>, RpcInterface<typeof SessionReauthContract> {
  /** The hot set. Public so tests can observe its bound; instance fields are not reachable over RPC. */
  readonly hot: HotSessions
  /** Recently revoked ids (see `revoked_sessions.ts`). */
  readonly revoked: RevokedSessions
  /** RPs each session signed into (back-channel logout), in this object's SQLite. */
  readonly loggedInClients = new LoggedInClients(this.ctx.storage.sql)
  /** Recently disabled users whose new sessions are refused (blocked_users.ts; memory only). */
  readonly blockedUsers: BlockedUsers
  /** Clock (epoch ms). A test seam: tests replace it inside `runInDurableObject`; not reachable over RPC. */
  now: () => number = () => Date.now()
  readonly #state: ShardState

  constructor(ctx: DurableObjectState, env: SessionEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, sessionBindingMeters)
    super(ctx, env)
    const limit = hotLimitFrom(env.SESSION_HOT_LIMIT)
    this.hot = new HotSessions(limit)
    this.revoked = new RevokedSessions(limit)
    this.blockedUsers = new BlockedUsers(limit)
    this.#state = {
      db: env.DB,
      hot: this.hot,
      revoked: this.revoked,
      now: () => this.now(),
      blocked: { has: (userId) => this.blockedUsers.has(userId, this.now()) },
      purgeNoLaterThan: (shard, at) => purgeNoLaterThan(ctx.storage, shard, at)
    }
  }

  create(input: typeof SessionContract.create.input.Encoded) {
    return serve(SessionContract.create, input, (i) =>
      Effect.flatMap(createSession(this.#state, i), (created) => {
        const clientId = i.recordClientId
        if (clientId === undefined) return Effect.succeed(created)
        // The RP about to get a code is recorded in the same call (back-channel logout), not in a second one.
        return Effect.try({
          try: () => {
            this.loggedInClients.record(created.session.id, clientId, created.session.expiresAt)
            return { ...created, clientRecorded: true }
          },
          catch: storageFailure
        })
      }))
  }

  authenticate(input: typeof SessionContract.authenticate.input.Encoded) {
    return serve(SessionContract.authenticate, input, (i) => authenticateCookie(this.#state, i.cookie))
  }

  get(input: typeof SessionContract.get.input.Encoded) {
    return serve(SessionContract.get, input, (i) => getSession(this.#state, i.sessionId))
  }

  revoke(input: typeof SessionContract.revoke.input.Encoded) {
    return serve(SessionContract.revoke, input, (i) => revokeSession(this.#state, i.sessionId))
  }

  listForUser(input: typeof SessionContract.listForUser.input.Encoded) {
    return serve(SessionContract.listForUser, input, (i) => listSessions(this.#state, i.userId))
  }

  revokeForUser(input: typeof SessionContract.revokeForUser.input.Encoded) {
    return serve(SessionContract.revokeForUser, input, (i) => revokeUserSessions(this.#state, i.userId, i.keepSessionId))
  }

  recordClient(input: typeof SessionLogoutContract.recordClient.input.Encoded) {
    return serve(SessionLogoutContract.recordClient, input, (i) => recordClient(this.#state, this.loggedInClients, i))
  }

  authenticateForClient(input: typeof SessionLogoutContract.authenticateForClient.input.Encoded) {
    return serve(SessionLogoutContract.authenticateForClient, input, (i) => authenticateForClient(this.#state, this.loggedInClients, i))
  }

  endSession(input: typeof SessionLogoutContract.endSession.input.Encoded) {
    return serve(SessionLogoutContract.endSession, input, (i) => endSession(this.#state, this.loggedInClients, i.sessionId))
  }

  endSessionsForUser(input: typeof SessionLogoutContract.endSessionsForUser.input.Encoded) {
    return serve(SessionLogoutContract.endSessionsForUser, input, (i) =>
      Effect.flatMap(
        // The mark first, synchronously (before the sweep's D1 I/O): a create racing the sweep sees it after its write.
        Effect.sync(() => { if (i.blockNewSessions === true) this.blockedUsers.block(i.userId, this.now()) }),
        () => endUserSessions(this.#state, this.loggedInClients, i.userId, i.keepSessionId)
      ))
  }

  allowNewSessions(input: typeof SessionLogoutContract.allowNewSessions.input.Encoded) {
    return serve(SessionLogoutContract.allowNewSessions, input, (i) =>
      Effect.sync(() => { this.blockedUsers.allow(i.userId); return {} }))
  }

  recordReauthentication(input: typeof SessionReauthContract.recordReauthentication.input.Encoded) {
    return serve(SessionReauthContract.recordReauthentication, input, (i) => recordReauthentication(this.#state, i))
  }

  /**
   * Purges expired sessions of this shard (and their logged-in clients) and schedules the next purge. A
   * storage failure throws so the runtime retries the alarm (with backoff).
   */
  async alarm(): Promise<void> {
    // The RPs of expired sessions go with them (session_clients has no expiry index to drop them on write).
    this.loggedInClients.purgeExpired(this.now())
    const shard = this.ctx.storage.kv.get<number>(SHARD_KEY)
    if (shard === undefined) return
    const next = await Effect.runPromise(purgeExpired(this.#state, shard))
    if (next !== undefined) await this.ctx.storage.setAlarm(next)
  }
}
