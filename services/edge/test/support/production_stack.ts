/**
 * The edge as a production deployment runs it: its default export called
 * in-process with production vars (`AUTHRIM_ENV=production`, ISSUER set) over
 * the production-configured copy of the backends (`*_PRODUCTION`, see
 * vitest.config.ts). Every other test runs the development stack.
 */
import { env } from "cloudflare:workers"
import worker from "../../src/index.ts"
import { Browser, ORIGIN } from "./browser.ts"

/** The edge's env in production, `vars` on top (undefined removes a var). */
export const productionEnv = (vars: Record<string, string | undefined> = {}): Cloudflare.Env => ({
  ...env,
  AUTHRIM_ENV: "production",
  ISSUER: ORIGIN,
  KEYS: env.KEYS_PRODUCTION,
  KEYS_ADMIN: env.KEYS_ADMIN_PRODUCTION,
  SESSION: env.SESSION_PRODUCTION,
  SESSION_ADMIN: env.SESSION_ADMIN_PRODUCTION,
  TOKENS: env.TOKENS_PRODUCTION,
  TOKENS_ADMIN: env.TOKENS_ADMIN_PRODUCTION,
  RATELIMIT: env.RATELIMIT_PRODUCTION,
  IDENTITY: env.IDENTITY_PRODUCTION,
  IDENTITY_ADMIN: env.IDENTITY_ADMIN_PRODUCTION,
  ...vars
})

/** A browser talking to the production edge. */
export const productionBrowser = (vars: Record<string, string | undefined> = {}): Browser => {
  const edgeEnv = productionEnv(vars)
  return new Browser((request) => worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, edgeEnv))
}
