/** What a route receives besides the request and the `Edge` service: what belongs to this one HTTP request. */
import { isDevelopment, misconfigured, settingValue, type Misconfigured } from "@authrim/contracts"
import { Effect } from "effect"
import type { Edge } from "./edge_layer.ts"
import type { ServiceEnv } from "./env.ts"

export interface RouteContext {
  /** `iss` of every token and of RFC 9207 authorization responses. */
  readonly issuer: string
  /** Token requests only: thumbprint of the request's verified DPoP proof key (binds what is issued). */
  readonly dpopJkt?: string
  /**
   * Runs `work` after the response is sent (`ExecutionContext.waitUntil`, run by index.ts with the
   * isolate's runtime), so the answer's content and timing cannot depend on it (issue 9 §4: "email me
   * a link" forms). Absent (a call without an execution context, e.g. a unit test):
   * `runAfterResponse` runs the work before answering.
   */
  readonly waitUntil?: (work: Effect.Effect<void, never, Edge>) => void
}

/**
 * Runs `work` after the response when the request has an execution context, else before answering.
 * A failure of `work` cannot reach the response: it is logged.
 */
export const runAfterResponse = (ctx: RouteContext, label: string, work: Effect.Effect<unknown, unknown, Edge>): Effect.Effect<void, never, Edge> => {
  const logged = work.pipe(
    Effect.catchCause((cause) => Effect.logError(`${label} failed after the response`, cause)),
    Effect.asVoid
  )
  if (ctx.waitUntil === undefined) return logged
  ctx.waitUntil(logged)
  return Effect.void
}

/**
 * The issuer: the `ISSUER` var (e.g. `https://id.example.com`). Production
 * requires it: an issuer taken from the request would let the Host header
 * choose the `iss` of tokens and discovery, so without it every request is a
 * configuration error (503 naming `ISSUER`). Only `AUTHRIM_ENV=development`
 * (local `wrangler dev`, tests) falls back to the request origin. A trailing
 * slash is dropped so endpoint URLs join cleanly and `iss` compares exactly.
 */
export const issuerFor = (request: Request, env: ServiceEnv): Effect.Effect<string, Misconfigured> => {
  const configured = settingValue(env.ISSUER)
  if (configured === undefined && !isDevelopment(env)) return Effect.fail(misconfigured("edge", "ISSUER"))
  return Effect.succeed((configured ?? new URL(request.url).origin).replace(/\/+$/, ""))
}
