/** authrim-session: `SessionForEdge` and `SessionAdmin` entrypoints and the `SessionStore` Durable Object. */
export { SessionAdmin, SessionForEdge } from "./session_service.ts"
export { SessionStore } from "./session_store.ts"

/** No public HTTP surface: the service is reached only through its RPC entrypoint. */
export default { fetch: () => new Response("internal service", { status: 404 }) }
