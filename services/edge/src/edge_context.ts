/** What every route receives besides the request: the backends and the issuer this request is served under. */
import { isDevelopment, misconfigured, settingValue, type Misconfigured } from "@authrim/contracts"
import { Effect } from "effect"
import type { Backends } from "./backends.ts"
import type { ServiceEnv } from "./env.ts"
import type { ParSettings } from "./par/par_settings.ts"
import type { DpopSettings } from "./dpop/dpop_settings.ts"
import type { StepUpSettings } from "./account/step_up_settings.ts"

export interface EdgeContext {
  readonly backends: Backends
  /** `iss` of every token and of RFC 9207 authorization responses. */
  readonly issuer: string
  /** PAR configuration (RFC 9126); absent: `defaultParSettings` (see par/par_settings.ts). */
  readonly par?: ParSettings
  /** DPoP nonce policy (RFC 9449 §8); absent: `defaultDpopSettings` (see dpop/dpop_settings.ts). */
  readonly dpop?: DpopSettings
  /** Step-up for account security changes; absent: `defaultStepUpSettings` (see account/step_up_settings.ts). */
  readonly stepUp?: StepUpSettings
  /** Token requests only: thumbprint of the request's verified DPoP proof key (binds what is issued). */
  readonly dpopJkt?: string
  /** `DEVICE_COOKIE_SECRET`: HMAC key of the remembered-device cookie (http/device_cookie.ts); unset → password sign-in answers a configuration error. */
  readonly deviceCookieSecret?: string
  /** `TRANSACTION_SEAL_SECRET`: key of the sealed sign-in transactions (authorize/transaction_seal.ts); unset → a sign-in answers a configuration error. */
  readonly transactionSealSecret?: string
  /**
   * Runs `work` after the response is sent (`ExecutionContext.waitUntil`), so the answer's content
   * and timing cannot depend on it (issue 9 §4: "email me a link" forms). Absent (a call without an
   * execution context, e.g. a unit test): `runAfterResponse` awaits the work before answering.
   */
  readonly waitUntil?: (work: Promise<unknown>) => void
}

/**
 * Runs `work` after the response when the request has an execution context, else before answering.
 * A failure of `work` cannot reach the response: it is logged.
 */
export const runAfterResponse = (ctx: EdgeContext, label: string, work: Effect.Effect<unknown, unknown>): Effect.Effect<void> => {
  const logged = work.pipe(
    Effect.catchCause((cause) => Effect.logError(`${label} failed after the response`, cause)),
    Effect.asVoid
  )
  if (ctx.waitUntil === undefined) return logged
  ctx.waitUntil(Effect.runPromise(logged))
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
