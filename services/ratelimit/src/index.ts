/** authrim-ratelimit: the `RateLimitService` entrypoint and its `RateLimiterCounter` shards. */
export { RateLimiterCounter } from "./rate_limiter_counter.ts"
export { RateLimitService } from "./rate_limit_service.ts"

/** Internal service: reachable only through its RPC entrypoint. */
export default { fetch: () => new Response("ratelimit: internal service", { status: 404 }) }
