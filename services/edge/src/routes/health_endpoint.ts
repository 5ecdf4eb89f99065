/**
 * `GET /health` (issue 11 §4).
 *
 * - Shallow (default): public and cheap — answers that this edge isolate runs,
 *   with no backend call and nothing secret: `{"status":"ok","service":"authrim-edge"}`.
 * - `?deep=1`: only with `Authorization: Bearer <HEALTH_TOKEN>`. Without a
 *   `HEALTH_TOKEN` setting the deep check does not exist (404: never open by
 *   default); a missing or wrong token is 401. Then each backend's `health`
 *   RPC (contracts/src/health.ts) runs concurrently: 200 when every check of
 *   every service is ok, else 503 — the body lists every service's checks
 *   either way. A backend that cannot be reached is one failing check
 *   (`rpc`), named by its error tag, never a stack trace.
 *
 * Always `cache-control: no-store`: a cached "ok" would hide an outage.
 */
import { settingValue, type ServiceHealth } from "@authrim/contracts"
import { timingSafeEqual } from "@authrim/platform"
import { Cause, Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"

/** Longest the edge waits for one backend's whole health answer (each probe inside is bounded at 2 s). */
const BACKEND_HEALTH_TIMEOUT_MS = 5_000

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff", ...headers }
  })

const shallowBody = JSON.stringify({ status: "ok", service: "authrim-edge" })

/** `true` when `authorization` is exactly `Bearer <token>` (compared in constant time). */
const bearerMatches = (authorization: string | null, token: string): boolean => {
  const match = /^Bearer[ ]+(\S+)$/i.exec(authorization ?? "")
  return match !== null && timingSafeEqual(match[1]!, token)
}

/** One backend's health; an RPC failure, a timeout or a defect becomes a failing `rpc` check. */
const backendHealth = (service: string, call: Effect.Effect<ServiceHealth, unknown>): Effect.Effect<ServiceHealth> => {
  const started = Date.now()
  const failed = (detail: string): ServiceHealth => ({ service, ok: false, checks: [{ name: "rpc", ok: false, ms: Date.now() - started, detail }] })
  return call.pipe(
    Effect.timeoutOrElse({ duration: BACKEND_HEALTH_TIMEOUT_MS, orElse: () => Effect.succeed(failed(`no answer within ${BACKEND_HEALTH_TIMEOUT_MS} ms`)) }),
    Effect.catchCause((cause) => {
      const error = Cause.squash(cause)
      const tag = typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : "defect"
      const reason = typeof error === "object" && error !== null && "reason" in error ? `: ${String(error.reason).slice(0, 200)}` : ""
      return Effect.succeed(failed(`${tag}${reason}`))
    })
  )
}

/** Every backend's health, concurrently. */
const deepHealth = Effect.fnUntraced(function*() {
  const { backends } = yield* Edge
  const services = yield* Effect.forEach(backends.health, ({ service, client }) => backendHealth(service, client.health({})), { concurrency: "unbounded" })
  const ok = services.every((service) => service.ok)
  return json(ok ? 200 : 503, { status: ok ? "ok" : "unhealthy", service: "authrim-edge", services })
})

/** Serves `GET /health` and `GET /health?deep=1`. */
export const health = Effect.fnUntraced(function*(request: Request, _ctx: RouteContext) {
  const deep = new URL(request.url).searchParams.get("deep")
  if (deep === null || deep === "" || deep === "0") {
    return new Response(shallowBody, { headers: { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff" } })
  }
  const { healthToken } = yield* Edge
  const token = settingValue(healthToken)
  if (token === undefined) return json(404, { error: "not_found", error_description: "the deep health check is not enabled (no HEALTH_TOKEN)" })
  if (!bearerMatches(request.headers.get("authorization"), token)) {
    return json(401, { error: "invalid_token", error_description: "the deep health check needs Authorization: Bearer <HEALTH_TOKEN>" }, { "www-authenticate": 'Bearer realm="health"' })
  }
  return yield* deepHealth()
})
