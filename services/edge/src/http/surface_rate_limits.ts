/**
 * The per-surface gates of issue 4, each counting EVERY request under its
 * policy (`rate_limit_policies.ts`) and answering a refusal in the surface's
 * own shape (`rate_limit_responses.ts`): `/token`, `/authorize` + `/login`,
 * device-code polling and (future) registration. Failed passwords are counted
 * apart, failures only: `failed_login_limit.ts`.
 */
import { Clock, Effect } from "effect"
import type { Backends } from "../backends.ts"
import type { EdgeContext } from "../edge_context.ts"
import { clientIp, limitBy, sha256Hex, type RateLimitVerdict } from "./rate_limit_gate.ts"
import type { PolicyId } from "./rate_limit_policies.ts"
import { admittedRateLimitHeaders, refusedJson, refusedPage } from "./rate_limit_responses.ts"

type Handler = (request: Request, ctx: EdgeContext) => Effect.Effect<Response>

/** Counts the request under an IP policy; the refusal rendered by `render`, or null to go on. No IP (local dev): no gate. */
const byIp = (id: PolicyId, render: typeof refusedJson) => (ctx: EdgeContext, request: Request): Effect.Effect<Response | null> => {
  const ip = clientIp(request)
  if (ip === null) return Effect.succeed(null)
  return Effect.map(limitBy(ctx.backends, id, ip), (verdict) => (verdict._tag === "Admitted" ? null : render(verdict)))
}

/** `/token` per client IP (policy `token`): an RFC 6749 §5.2 body on refusal. */
export const tokenRateLimit = byIp("token", refusedJson)

/**
 * `/token` per client IP (policy `token`), wrapping the handler: a refusal is
 * the RFC 6749 §5.2 429; an admitted request's response, success or error,
 * carries the RateLimit fields of its window. None when there is no IP or the
 * limiter was unreachable (fail open: nothing known to report).
 */
export const limitTokenEndpoint = (handler: Handler): Handler => (request, ctx) =>
  Effect.gen(function*() {
    const ip = clientIp(request)
    if (ip === null) return yield* handler(request, ctx)
    const verdict = yield* limitBy(ctx.backends, "token", ip)
    if (verdict._tag !== "Admitted") return refusedJson(verdict)
    const response = yield* handler(request, ctx)
    if (verdict.decision === null) return response
    const now = yield* Clock.currentTimeMillis
    for (const [name, value] of Object.entries(admittedRateLimitHeaders(verdict.decision, now))) response.headers.set(name, value)
    return response
  })

/** Dynamic client registration per client IP (policy `registration`): for the future `/register` endpoint, JSON refusal. */
export const registrationRateLimit = byIp("registration", refusedJson)

/** `/authorize` and `/login` per client IP (policy `authorize`): wraps a page handler; refusal is a page, never a redirect. */
export const limitPageByIp = (handler: Handler): Handler => {
  const gate = byIp("authorize", refusedPage)
  return (request, ctx) => Effect.flatMap(gate(ctx, request), (refused) => (refused === null ? handler(request, ctx) : Effect.succeed(refused)))
}

/**
 * One device-code poll (RFC 8628 §3.4) under policy `devicePoll`, keyed by a
 * SHA-256 of the device code (a secret, never stored as given). The caller
 * renders a `Limited` verdict: `slow_down` (RFC 8628 §3.5) fits a client
 * polling too fast; `refusedJson` gives the generic 429.
 */
export const devicePollLimit = (backends: Backends, deviceCode: string): Effect.Effect<RateLimitVerdict> =>
  Effect.flatMap(sha256Hex(deviceCode), (subject) => limitBy(backends, "devicePoll", subject))
