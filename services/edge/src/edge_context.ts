/** What every route receives besides the request: the backends and the issuer this request is served under. */
import type { Backends } from "./backends.ts"
import type { ServiceEnv } from "./env.ts"

export interface EdgeContext {
  readonly backends: Backends
  /** `iss` of every token and of RFC 9207 authorization responses. */
  readonly issuer: string
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
