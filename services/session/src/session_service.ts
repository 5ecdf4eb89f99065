/**
 * `SessionService` entrypoint (binding `SESSION`), served by `serveAll` with
 * `sessionLayer`: routes every call to its SessionStore shard — by user id for
 * `create`/`listForUser`/`revokeForUser`/`endSessionsForUser`, by the shard inside
 * the session id (or the id inside the cookie) otherwise. A malformed id or
 * cookie is `NotFound` without any DO call; a transport fault or a DO defect
 * becomes `Unavailable` (503 at the edge) — see `onShard`.
 */
import { WorkerEntrypoint } from "cloudflare:workers"
import { checkHealth, HealthContract } from "@authrim/contracts"
import { NotFound, serveAll, SessionContract, SessionLogoutContract, SessionReauthContract, SessionStatsContract } from "@authrim/contracts"
import { countActiveSessions } from "./active_session_count.ts"
import { meteredEnv } from "@authrim/cost-meter"
import { Effect } from "effect"
import { sessionBindingMeters, type SessionEnv } from "./env.ts"
import { parseCookie, shardOfSessionId } from "./session_id.ts"
import { sessionShardFor } from "./session_shard.ts"
import { endSession, endUserSessions, revokeSession, revokeUserSessions, startSession } from "./session_audit.ts"
import { onShard } from "./session_shards.ts"
import { sessionServiceLayer } from "./session_service_layer.ts"

/** The shard named by the session id inside a cookie value (`undefined` when the cookie is malformed). */
const shardOfCookie = (cookie: string): number | undefined => {
  const parsed = parseCookie(cookie)
  return parsed && shardOfSessionId(parsed.sessionId)
}

export class SessionService extends serveAll(WorkerEntrypoint<SessionEnv>, {
  contracts: [SessionContract, SessionLogoutContract, SessionReauthContract, SessionStatsContract, HealthContract],
  layer: sessionServiceLayer,
  handlers: {
    /** Deep health (contracts/src/health.ts): probes of what this worker is bound to, see src/session_health.ts. */
    health: checkHealth,
    // The calls that start or end sessions record their audit events (src/session_audit.ts).
    create: startSession,
    authenticate: (input) => onShard(shardOfCookie(input.cookie), (shard) => shard.authenticate(input)),
    get: (input) => onShard(shardOfSessionId(input.sessionId), (shard) => shard.get(input)),
    revoke: revokeSession,
    listForUser: (input) => onShard(sessionShardFor(input.userId), (shard) => shard.listForUser(input)),
    revokeForUser: revokeUserSessions,
    recordReauthentication: (input) => onShard(shardOfSessionId(input.sessionId), (shard) => shard.recordReauthentication(input)),
    recordClient: (input) => onShard(shardOfSessionId(input.sessionId), (shard) => shard.recordClient(input)),
    /** The cookie must carry `sessionId` itself; anything else is NotFound before any DO call. */
    authenticateForClient: (input) =>
      parseCookie(input.cookie)?.sessionId === input.sessionId
        ? onShard(shardOfSessionId(input.sessionId), (shard) => shard.authenticateForClient(input))
        : Effect.fail(new NotFound({ what: "session" })),
    endSession,
    endSessionsForUser: endUserSessions,
    /** The console dashboard's live-session count (src/active_session_count.ts). */
    countActiveSessions,
    allowNewSessions: (input) => onShard(sessionShardFor(input.userId), (shard) => shard.allowNewSessions(input))
  }
}) {
  constructor(ctx: ExecutionContext, env: SessionEnv) {
    // With the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter).
    super(ctx, meteredEnv(env, sessionBindingMeters))
  }
}
