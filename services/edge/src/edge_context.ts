/** What every route receives besides the request: the backends and the issuer this request is served under. */
import { isDevelopment, misconfigured, settingValue, type Misconfigured } from "@authrim/contracts"
import { Effect } from "effect"
import type { Backends } from "./backends.ts"
import type { ServiceEnv } from "./env.ts"
import type { ParSettings } from "./par/par_settings.ts"
import type { DpopSettings } from "./dpop/dpop_settings.ts"

export interface EdgeContext {
  readonly backends: Backends
  /** `iss` of every token and of RFC 9207 authorization responses. */
  readonly issuer: string
  /** PAR configuration (RFC 9126); absent: `defaultParSettings` (see par/par_settings.ts). */
  readonly par?: ParSettings
  /** DPoP nonce policy (RFC 9449 §8); absent: `defaultDpopSettings` (see dpop/dpop_settings.ts). */
  readonly dpop?: DpopSettings
  /** Token requests only: thumbprint of the request's verified DPoP proof key (binds what is issued). */
  readonly dpopJkt?: string
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
