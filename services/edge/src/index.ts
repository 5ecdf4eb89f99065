/**
 * authrim-edge: the only public worker. Parses HTTP, calls the backends over
 * service bindings typed from `contracts/`, renders HTTP. Holds no storage.
 *
 * Every expected failure is rendered by its route (OAuth JSON, a
 * `WWW-Authenticate` challenge, an HTML page or a redirect to the RP). The
 * catch below is for defects only: it answers a generic `server_error`
 * without a stack trace, and logs the defect for the operator.
 */
import { CallCounters, CurrentRequest, isDevelopment, newCallCounts, OAuthError, runtimePerEnv, writeLog, type CallCounts, type EdgeFailure, type RequestMeta } from "@authrim/contracts"
import { Effect } from "effect"
import { edgeLayer, type Edge } from "./edge_layer.ts"
import { issuerFor } from "./route_context.ts"
import type { ServiceEnv } from "./env.ts"
import { corsPreflight, withCors } from "./http/cors.ts"
import { oauthErrorJson, wireErrorJson } from "./http/oauth_json.ts"
import { errorPage, wireErrorPage } from "./pages/error_page.ts"
import { pageLocale } from "./i18n/negotiate_locale.ts"
import { routeFor, routeLabel, type Route } from "./routes/route_table.ts"
import { meteredRequest } from "./http/cost_header.ts"
import { firstOfIsolate, recordEdgeRequest } from "./http/request_metrics.ts"
import { brandPageResponse } from "./pages/branded_page.ts"
import { pageBranding } from "./pages/page_branding.ts"

/** A page route's answer with the branding (read from this isolate's copy only when the answer is HTML). */
const brandedPage = (response: Response): Effect.Effect<Response, never, Edge> =>
  (response.headers.get("content-type") ?? "").startsWith("text/html")
    ? Effect.flatMap(pageBranding(), (branding) => brandPageResponse(response, branding))
    : Effect.succeed(response)

const notFound = () =>
  new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } })

const methodNotAllowed = (route: Route, request: Request): Response => {
  const wire = { code: "invalid_request", description: "method not allowed", status: 405 } as const
  const response = route.kind === "api" ? wireErrorJson(wire) : wireErrorPage(wire, pageLocale(request))
  response.headers.set("allow", Object.keys(route.methods).join(", "))
  return route.cors ? withCors(response) : response
}

/** A failure before any route ran (e.g. a configuration error): a page for browser routes (in the browser's language), JSON for the API. */
const routeFailure = (route: Route, failure: EdgeFailure, request: Request): Response => {
  if (route.kind === "page") return errorPage(failure, pageLocale(request))
  const response = oauthErrorJson(failure)
  return route.cors ? withCors(response) : response
}

const defect = (route: Route | undefined, request: Request): Response => {
  const failure = new OAuthError({ code: "server_error", description: "an unexpected error occurred" })
  return route?.kind === "page" ? errorPage(failure, pageLocale(request)) : oauthErrorJson(failure)
}

/**
 * `/dev/*` exists only with `AUTHRIM_ENV=development`: in production it is the
 * same plain 404 as an unknown path, whatever else is set (`BENCH_ROUTES`, an
 * outbox transport on identity), so a forgotten flag cannot open it.
 */
const isDevelopmentOnly = (pathname: string): boolean => pathname.startsWith("/dev/")

/** What the edge uses of the request's execution context: work after the response (absent in direct calls). */
type AfterResponse = Pick<ExecutionContext, "waitUntil">

/**
 * The edge's runtime for `env`: its Layer (edge_layer.ts) built once per isolate and env object,
 * never per request. The cost meter's metered env is itself one object per env (`meterBindings`).
 */
const runtimeFor = runtimePerEnv(edgeLayer)

/**
 * The request every backend call of this request carries (contracts/src/request_context.ts): Cloudflare's
 * ray id when there is one, else a fresh UUID; the client's IP as Cloudflare saw it; its user agent.
 */
const requestMetaOf = (request: Request): RequestMeta => ({
  requestId: request.headers.get("cf-ray") ?? crypto.randomUUID(),
  ip: request.headers.get("cf-connecting-ip"),
  userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? null
})

/**
 * Routes one request; `env` carries metered bindings when the cost meter is on; `execution` lets routes work after
 * responding. With a `METRICS` binding, writes the request's Analytics Engine point (http/request_metrics.ts) after
 * the answer is made, counting the backend calls made through `CallCounters`.
 */
const handle = async (request: Request, env: ServiceEnv, execution?: AfterResponse): Promise<Response> => {
  const dataset = env.METRICS
  if (dataset === undefined) return answer(request, env, requestMetaOf(request), null, execution)
  const started = Date.now()
  const coldIsolate = firstOfIsolate()
  const pathname = new URL(request.url).pathname
  const counts = newCallCounts()
  const response = await answer(request, env, requestMetaOf(request), counts, execution)
  const recorded = recordEdgeRequest(dataset, response, {
    route: isDevelopmentOnly(pathname) && !isDevelopment(env) ? null : routeLabel(pathname),
    method: request.method,
    colo: colo(request),
    latencyMs: Date.now() - started,
    counts,
    coldIsolate
  })
  if (recorded !== null && execution !== undefined) execution.waitUntil(recorded)
  return response
}

/** The Cloudflare data center that took the request (`request.cf.colo`), when known. */
const colo = (request: Request): string | null => {
  const value = (request as { readonly cf?: { readonly colo?: unknown } }).cf?.colo
  return typeof value === "string" ? value : null
}

/** Answers one request; `counts` (when metrics are on) is given to its backend calls as `CallCounters`. */
const answer = async (request: Request, env: ServiceEnv, meta: RequestMeta, counts: CallCounts | null, execution?: AfterResponse): Promise<Response> => {
  const pathname = new URL(request.url).pathname
  const route = routeFor(pathname)
  try {
    if (route === undefined || (isDevelopmentOnly(pathname) && !isDevelopment(env))) return notFound()
    if (request.method === "OPTIONS" && route.cors) return corsPreflight(Object.keys(route.methods))
    const handler = Object.hasOwn(route.methods, request.method) ? route.methods[request.method] : undefined
    if (handler === undefined) return methodNotAllowed(route, request)
    const runtime = runtimeFor(env)
    const inRequest = <A, E>(effect: Effect.Effect<A, E, Edge>) =>
      Effect.provideService(counts === null ? effect : Effect.provideService(effect, CallCounters, counts), CurrentRequest, meta)
    const served = issuerFor(request, env).pipe(
      Effect.flatMap((issuer) => handler(request, {
        issuer,
        ...(execution === undefined ? {} : { waitUntil: (work: Effect.Effect<void, never, Edge>) => execution.waitUntil(runtime.runPromise(inRequest(work))) })
      })),
      Effect.catch((failure) => Effect.succeed(routeFailure(route, failure, request))),
      // Every page answer carries the branding (pages/branded_page.ts); API answers are never touched.
      Effect.flatMap((response) => route.kind === "page" ? brandedPage(response) : Effect.succeed(response))
    )
    const response = await runtime.runPromise(inRequest(served))
    // The id an operator searches the logs and the audit trail for; set where the headers are still ours to change.
    if (meta.requestId !== null && !response.headers.has("x-request-id")) {
      try {
        response.headers.set("x-request-id", meta.requestId)
      } catch {
        // an immutable Response (e.g. passed through from a fetch) keeps its headers
      }
    }
    return response
  } catch (error) {
    writeLog("error", "edge", "defect", meta.requestId, { error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) })
    return defect(route, request)
  }
}

export default {
  fetch(request, env, execution?: AfterResponse): Promise<Response> {
    return meteredRequest(env, (metered) => handle(request, metered, execution))
  }
} satisfies ExportedHandler<ServiceEnv>
