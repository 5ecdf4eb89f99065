/**
 * `SessionsForWorkers` (issue 13 §1): the entrypoint a Worker that may end
 * users' sessions binds — `services: [{ binding: "AUTHRIM_SESSIONS", service:
 * "authrim-session", entrypoint: "SessionsForWorkers" }]`. Only
 * endUserSessions (contracts/src/sessions_for_workers.ts); it shares the
 * SessionService runtime (the same `sessionServiceLayer`).
 */
import { serveAll, SessionsForWorkersContract } from "@authrim/contracts"
import { meteredEnv } from "@authrim/cost-meter"
import { WorkerEntrypoint } from "cloudflare:workers"
import { endSessionsForWorker } from "./end_sessions_for_worker.ts"
import { sessionBindingMeters, type SessionEnv } from "./env.ts"
import { sessionServiceLayer } from "./session_service_layer.ts"

export class SessionsForWorkers extends serveAll(WorkerEntrypoint<SessionEnv>, {
  name: "session",
  contracts: [SessionsForWorkersContract],
  layer: sessionServiceLayer,
  handlers: { endUserSessions: endSessionsForWorker }
}) {
  constructor(ctx: ExecutionContext, env: SessionEnv) {
    // As SessionService: with the cost meter on, it counts this worker's binding calls (packages/cost-meter).
    super(ctx, meteredEnv(env, sessionBindingMeters))
  }
}
