/** authrim-session: the `SessionForEdge`, `SessionAdmin` and `SessionsForWorkers` entrypoints and the `SessionStore` Durable Object. */
export { SessionAdmin, SessionForEdge } from "./session_service.ts"
export { SessionsForWorkers } from "./sessions_for_workers_entrypoint.ts"
export { SessionStore } from "./session_store.ts"

/** No public HTTP surface: the service is reached only through its RPC entrypoint. */
export default { fetch: () => new Response("internal service", { status: 404 }) }
