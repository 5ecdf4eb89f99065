/**
 * The per-surface gates of issue 4, each counting EVERY request under its
 * policy (`rate_limit_policies.ts`) and answering a refusal in the surface's
 * own shape (`rate_limit_responses.ts`): `/token`, `/authorize` + `/login`,
 * device-code polling, `/register`, and since issue 9 §4 `/revoke`,
 * `/introspect`, `/par`, `/login/passkey` and device user-code entry. Failed passwords are counted
 * apart, failures only: `failed_login_limit.ts`.
 */
import { sha256Hex } from "@authrim/platform"
import { Clock, Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { presentedClient } from "../token_endpoint/presented_client.ts"
import { withCors } from "./cors.ts"
import { readFormBody } from "./form_body.ts"
import { clientIp, firstRefusal, knownVerdict, limitAll, limitBy, policyKey, type LimitCheck, type RateLimitVerdict } from "./rate_limit_gate.ts"
import type { PolicyId } from "./rate_limit_policies.ts"
import type { RateLimitRefusal } from "./rate_limit_gate.ts"
import { pageLocale } from "../i18n/negotiate_locale.ts"
import type { Locale } from "../i18n/locale.ts"
import { admittedRateLimitHeaders, refusedJson, refusedPage } from "./rate_limit_responses.ts"

type Handler = (request: Request, ctx: RouteContext) => Effect.Effect<Response, never, Edge>

/** Counts the request under an IP policy; the refusal rendered by `render`, or null to go on. No IP (local dev): no gate. */
const byIp = (id: PolicyId, render: (refusal: RateLimitRefusal, request: Request) => Response) => (request: Request): Effect.Effect<Response | null, never, Edge> => {
  const ip = clientIp(request)
  if (ip === null) return Effect.succeed(null)
  return Edge.use(({ backends }) => limitBy(id, ip)).pipe(Effect.map((verdict) => (verdict._tag === "Admitted" ? null : render(verdict, request))))
}

/** `/token` per client IP (policy `token`): an RFC 6749 §5.2 body on refusal. */
export const tokenRateLimit = byIp("token", refusedJson)

/**
 * `/token` per client IP (policy `token`), wrapping the handler: a refusal is
 * the RFC 6749 §5.2 429; an admitted request's response, success or error,
 * carries the RateLimit fields of its window. None when there is no IP or the
 * limiter was unreachable (fail open: nothing known to report).
 */
export const limitTokenEndpoint = (handler: Handler): Handler =>
  Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
    const ip = clientIp(request)
    if (ip === null) return yield* handler(request, ctx)
    const verdict = yield* limitBy("token", ip)
    if (verdict._tag !== "Admitted") return refusedJson(verdict)
    const response = yield* handler(request, ctx)
    if (verdict.decision === null) return response
    const now = yield* Clock.currentTimeMillis
    for (const [name, value] of Object.entries(admittedRateLimitHeaders(verdict.decision, now))) response.headers.set(name, value)
    return response
  })

/** Dynamic client registration per client IP (policy `registration`): every `/register` request (routes/register.ts), JSON refusal. */
export const registrationRateLimit = byIp("registration", refusedJson)

/** A page handler behind the IP policy `id`: refusal is a page, never a redirect. */
const limitPageByIpPolicy = (id: PolicyId) => (handler: Handler): Handler => {
  const gate = byIp(id, (refusal, request) => refusedPage(refusal, pageLocale(request)))
  return (request, ctx) => Effect.flatMap(gate(request), (refused) => (refused === null ? handler(request, ctx) : Effect.succeed(refused)))
}

/** `/authorize` and `/login` per client IP (policy `authorize`): wraps a page handler; refusal is a page, never a redirect. */
export const limitPageByIp = limitPageByIpPolicy("authorize")

/**
 * Whether a `/login` answer counts under `authorize`: a client error the password controls did not
 * count — an unknown or expired transaction, a failed CSRF check, a missing field. Not a wrong
 * password (401: the failure windows count it) nor a refusal (429); not a server error.
 */
const countsAsLoginProbe = (status: number): boolean => status >= 400 && status < 500 && status !== 401 && status !== 429

/**
 * `/login` GET and POST under policy `authorize` (issue 10). Both belong to a transaction whose
 * `/authorize` request was counted, and every failed password is counted by the failure windows
 * (`failed_login_limit.ts`), so a sign-in costs no limiter request here. Probing with made-up or
 * expired transactions still fills the IP's window: such answers are counted after the fact
 * (`countsAsLoginProbe`), and once the IP is refused this isolate answers every `/login` request
 * of the window with the 429 page from memory, before any work.
 */
export const limitLoginPage = (handler: Handler): Handler =>
  Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
    const { backends } = yield* Edge
    const ip = clientIp(request)
    if (ip === null) return yield* handler(request, ctx)
    const known = yield* knownVerdict(backends.rateLimitPolicies.authorize, ip)
    if (known !== null) return refusedPage(known, pageLocale(request))
    const response = yield* handler(request, ctx)
    if (!countsAsLoginProbe(response.status)) return response
    const verdict = yield* limitBy("authorize", ip)
    return verdict._tag === "Admitted" ? response : refusedPage(verdict, pageLocale(request))
  })

/** `/login/passkey` GET and POST per client IP (policy `passkeyLoginPerIp`, issue 9 §4): a 429 page past it. */
export const limitPasskeyLogin = limitPageByIpPolicy("passkeyLoginPerIp")

/** The client_id a request presents (Basic, body or assertion), read from a copy of the body; null when there is none or it is malformed. */
const presentedClientId = (request: Request): Effect.Effect<string | null> =>
  readFormBody(request.clone()).pipe(
    Effect.flatMap((form) => presentedClient(request, form)),
    Effect.map((presented) => presented.clientId),
    Effect.orElseSucceed(() => null)
  )

/**
 * `/revoke`, `/introspect`, `/par` and `/device_authorization` (issue 9 §4: endpoints that authenticate a client), every
 * request, before the client is authenticated, in ONE limiter request (issue 10): per presented client_id
 * (`clientEndpointsPerClient`, exact from any IP) and per client IP (`clientEndpointsPerIp`, when known). With a
 * client_id the IP window is the (IP, client_id) pair, kept in the client's shard beside the client's window —
 * so one IP cannot take more than its share of one client's room, and a botnet guessing one client's secret
 * still meets the client's exact window; without one it is the IP's own window. A refusal is the RFC 6749 §5.2
 * 429 (`temporarily_unavailable`, `Retry-After`), with CORS headers where the endpoint has them.
 */
export const limitClientEndpoint = (handler: Handler, options: { readonly cors: boolean }): Handler =>
  Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
    const { backends } = yield* Edge
    const policies = backends.rateLimitPolicies
    const ip = clientIp(request)
    const clientId = yield* presentedClientId(request)
    const checks: Array<LimitCheck> = []
    if (clientId !== null) {
      const clientKey = policyKey(policies.clientEndpointsPerClient, clientId)
      if (ip !== null) checks.push({ policy: policies.clientEndpointsPerIp, subject: `${ip}@${clientId}`, shardWith: clientKey })
      checks.push({ policy: policies.clientEndpointsPerClient, subject: clientId })
    } else if (ip !== null) {
      checks.push({ policy: policies.clientEndpointsPerIp, subject: ip })
    }
    const refused = checks.length === 0 ? null : firstRefusal(...(yield* limitAll(checks)).verdicts)
    if (refused === null) return yield* handler(request, ctx)
    return options.cors ? withCors(refusedJson(refused)) : refusedJson(refused)
  })

/** Who is entering a device user code: the client IP (null locally) and the browser (hex SHA-256 of its signed-in session id). */
export interface DeviceCodeEntrant {
  readonly ip: string | null
  readonly browser: string
}

/** The entrant of `request` from the session the verification page requires. */
export const deviceCodeEntrant = (request: Request, sessionId: string): Effect.Effect<DeviceCodeEntrant> =>
  Effect.map(sha256Hex(sessionId), (browser) => ({ ip: clientIp(request), browser }))

/**
 * Device user-code entry (RFC 8628 §5.1: the user code is short, so guessing it must be rate
 * limited), WRONG codes only, per client IP (`deviceCodeEntryPerIp`, when known) and per browser
 * (`deviceCodeEntryPerBrowser`). Like failed passwords: read before the lookup (`cost: 0`) — the
 * refusal page (429, `Retry-After`) or null to look the code up — and {@link countWrongDeviceCode}
 * after a miss, so a person opening the right code in several tabs is never refused.
 */
export const deviceCodeEntryLimit = Effect.fnUntraced(function*(entrant: DeviceCodeEntrant, locale: Locale): Effect.fn.Return<Response | null, never, Edge> {
  const [byIp, byBrowser] = yield* Effect.all([
    entrant.ip === null ? Effect.succeed(null) : limitBy("deviceCodeEntryPerIp", entrant.ip, 0),
    limitBy("deviceCodeEntryPerBrowser", entrant.browser, 0)
  ], { concurrency: "unbounded" })
  // The 429 page in the page's language (issue 12: it was English-only).
  if (byIp !== null && byIp._tag !== "Admitted") return refusedPage(byIp, locale)
  return byBrowser._tag === "Admitted" ? null : refusedPage(byBrowser, locale)
})

/** Counts one wrong user code against the IP and the browser. */
export const countWrongDeviceCode = (entrant: DeviceCodeEntrant): Effect.Effect<void, never, Edge> =>
  Edge.use(({ backends }) => Effect.all([
    entrant.ip === null ? Effect.void : limitBy("deviceCodeEntryPerIp", entrant.ip),
    limitBy("deviceCodeEntryPerBrowser", entrant.browser)
  ], { concurrency: "unbounded", discard: true }))

/**
 * One device-code poll (RFC 8628 §3.4) under policy `devicePoll`, keyed by a
 * SHA-256 of the device code (a secret, never stored as given). The caller
 * renders a `Limited` verdict: `slow_down` (RFC 8628 §3.5) fits a client
 * polling too fast; `refusedJson` gives the generic 429.
 */
export const devicePollLimit = (deviceCode: string): Effect.Effect<RateLimitVerdict, never, Edge> =>
  Effect.flatMap(sha256Hex(deviceCode), (subject) => limitBy("devicePoll", subject))