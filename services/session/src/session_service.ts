/**
 * The session worker's named entrypoints, one per caller role (issue 13 §2;
 * method lists in contracts/src/session_entrypoints.ts): `SessionForEdge`
 * (edge `SESSION`) and `SessionAdmin` (edge `SESSION_ADMIN`, the admin API
 * only), both `serveAll` over the same handlers and Layer function (one shared
 * runtime per isolate and env). The handlers route every call to its SessionStore shard — by user id for
 * `create`/`listForUser`/`revokeForUser`/`endSessionsForUser`, by the shard inside
 * the session id (or the id inside the cookie) otherwise. A malformed id or
 * cookie is `NotFound` without any DO call; a transport fault or a DO defect
 * becomes `Unavailable` (503 at the edge) — see `onShard`.
 */
import { WorkerEntrypoint } from "cloudflare:workers"
import { checkHealth, HealthContract } from "@authrim/contracts"
import { sessionHealthLayer } from "./session_health.ts"
import { NotFound, serveAll, SessionAdminContracts, SessionContract, SessionForEdgeContracts, SessionLogoutContract, SessionReauthContract, SessionStatsContract, type HandlersOf } from "@authrim/contracts"
import { countActiveSessions, sessionCountLayer } from "./active_session_count.ts"
import { meteredEnv } from "@authrim/cost-meter"
import { Effect, type Layer } from "effect"
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

/** Every contract the session worker implements, in whole. */
const sessionContracts = [SessionContract, SessionLogoutContract, SessionReauthContract, SessionStatsContract, HealthContract] as const

/** One handler per method of every session contract. */
export const sessionHandlers: HandlersOf<typeof sessionContracts, Layer.Success<ReturnType<typeof sessionServiceLayer>>> = {
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

/** Every session entrypoint: with the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter). */
export class MeteredSessionEntrypoint extends WorkerEntrypoint<SessionEnv> {
  constructor(ctx: ExecutionContext, env: SessionEnv) {
    super(ctx, meteredEnv(env, sessionBindingMeters))
  }
}

/** The edge's runtime binding: sign-in sessions, logout, re-authentication, the account page's sessions. */
export class SessionForEdge extends serveAll(MeteredSessionEntrypoint, {
  name: "session",
  contracts: SessionForEdgeContracts,
  layer: sessionServiceLayer,
  handlers: sessionHandlers
}) {}

/** The admin API's binding: a user's sessions, blocking a disabled user, the live-session count. */
export class SessionAdmin extends serveAll(MeteredSessionEntrypoint, {
  name: "session",
  contracts: SessionAdminContracts,
  layer: sessionServiceLayer,
  handlers: sessionHandlers
}) {}
