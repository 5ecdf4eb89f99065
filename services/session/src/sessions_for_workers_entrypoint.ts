/**
 * `SessionsForWorkers` (issue 13 §1): the entrypoint a Worker that may end
 * users' sessions binds — `services: [{ binding: "AUTHRIM_SESSIONS", service:
 * "authrim-session", entrypoint: "SessionsForWorkers" }]`. Only
 * endUserSessions (contracts/src/sessions_for_workers.ts); it shares the
 * runtime of SessionForEdge and the others (the same `sessionServiceLayer`).
 */
import { serveAll, SessionsForWorkersContract } from "@authrim/contracts"
import { MeteredSessionEntrypoint } from "./session_service.ts"
import { endSessionsForWorker } from "./end_sessions_for_worker.ts"
import { sessionServiceLayer } from "./session_service_layer.ts"

export class SessionsForWorkers extends serveAll(MeteredSessionEntrypoint, {
  name: "session",
  contracts: [SessionsForWorkersContract],
  layer: sessionServiceLayer,
  handlers: { endUserSessions: endSessionsForWorker }
}) {}
