/** What every route receives besides the request: the backends and the issuer this request is served under. */
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
}

/**
 * The issuer: the `ISSUER` var when set (production, behind a custom domain),
 * else the request origin (local `wrangler dev`, tests). A trailing slash is
 * dropped so endpoint URLs join cleanly and `iss` compares exactly.
 */
export const issuerFor = (request: Request, env: ServiceEnv): string => {
  const configured = env.ISSUER?.trim()
  return (configured !== undefined && configured !== "" ? configured : new URL(request.url).origin).replace(/\/+$/, "")
}
