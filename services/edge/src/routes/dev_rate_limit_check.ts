/**
 * `POST /dev/rate-limit-check` (benchmarks only, `npm run bench`): one counted
 * check of `key` against the ratelimit service, so the limiter's cost and
 * latency can be measured alone, side by side with a reference. A plain 404 —
 * the same as an unknown path — unless the edge var `BENCH_ROUTES` is "true"
 * (and `AUTHRIM_ENV=development`: in production every `/dev/*` path is a 404
 * before this runs, see index.ts), so a deployment does not expose a way to
 * fill the counter store.
 *
 * The var is read from `cloudflare:workers` rather than the route context:
 * routes receive only the backends and the issuer, and a bench-only switch is
 * not worth widening `RouteContext` for.
 */
import { env } from "cloudflare:workers"
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import type { ServiceEnv } from "../env.ts"
import { isFormEncoded, readFormBody } from "../http/form_body.ts"
import { noStoreJson, oauthErrorJson } from "../http/oauth_json.ts"

/** The fixed policy the bench counts under: high enough that a run is never denied; keys are namespaced `bench:`. */
export const BENCH_CHECK_POLICY = { name: "bench", limit: 1_000_000, windowSeconds: 60 } as const

/** Longest accepted key: a label, not a payload (the counter caps keys at 512 with the prefix). */
export const MAX_BENCH_KEY_LENGTH = 256

/** Largest JSON body read: `{"key": …}` fits many times over. */
const MAX_JSON_BYTES = 4096

/** The bench-only routes' answer while `BENCH_ROUTES` is off: the same plain 404 as an unknown path. */
export const notFound = () =>
  new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } })

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description })

const isJson = (request: Request) => (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase() === "application/json"

const jsonKey = (request: Request): Effect.Effect<unknown, OAuthError> =>
  Effect.tryPromise({ try: () => request.arrayBuffer(), catch: () => invalid("the body could not be read") }).pipe(
    Effect.flatMap((body) => {
      if (body.byteLength > MAX_JSON_BYTES) return Effect.fail(invalid("the body is too large"))
      try {
        const parsed: unknown = JSON.parse(new TextDecoder().decode(body))
        return Effect.succeed(typeof parsed === "object" && parsed !== null ? (parsed as { key?: unknown }).key : undefined)
      } catch {
        return Effect.fail(invalid("the body is not JSON"))
      }
    })
  )

/** `key` from a form or JSON body: 1…256 printable ASCII characters without spaces. */
const readKey = Effect.fnUntraced(function*(request: Request): Effect.fn.Return<string, OAuthError> {
  const key: unknown = isJson(request)
    ? yield* jsonKey(request)
    : isFormEncoded(request)
    ? (yield* readFormBody(request)).get("key")
    : yield* Effect.fail(invalid("the body must be application/x-www-form-urlencoded or application/json"))
  if (typeof key !== "string" || !new RegExp(`^[\\x21-\\x7E]{1,${MAX_BENCH_KEY_LENGTH}}$`).test(key)) {
    return yield* Effect.fail(invalid(`key must be 1 to ${MAX_BENCH_KEY_LENGTH} printable characters`))
  }
  return key
})

/** The check itself, without the `BENCH_ROUTES` switch (tests call it directly). */
export const rateLimitCheck = (request: Request, ctx: RouteContext): Effect.Effect<Response, never, Edge> =>
  readKey(request).pipe(
    Effect.flatMap((key) =>
      Edge.use(({ backends }) => backends.rateLimit.check({
        key: `${BENCH_CHECK_POLICY.name}:${key}`,
        limit: BENCH_CHECK_POLICY.limit,
        windowSeconds: BENCH_CHECK_POLICY.windowSeconds,
        cost: 1
      }))
    ),
    Effect.map((decision) =>
      noStoreJson({
        allowed: decision.allowed,
        current: decision.current,
        limit: decision.limit,
        remaining: Math.max(0, decision.limit - decision.current),
        resetAt: decision.resetAt
      })
    ),
    Effect.catch((failure) => Effect.succeed(oauthErrorJson(failure)))
  )

/** Whether the bench-only routes are on (edge var `BENCH_ROUTES`). */
const benchRoutesEnabled = (): boolean => (env as Partial<ServiceEnv>).BENCH_ROUTES === "true"

/** The routed handler: 404 unless `BENCH_ROUTES` is "true". */
export const devRateLimitCheck = (request: Request, ctx: RouteContext): Effect.Effect<Response, never, Edge> =>
  benchRoutesEnabled() ? rateLimitCheck(request, ctx) : Effect.succeed(notFound())
