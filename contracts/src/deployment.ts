/**
 * The deployment switch and the required-settings check every worker shares.
 *
 * `AUTHRIM_ENV` is `development` or `production`. Every committed
 * `wrangler.jsonc` says `production`; `npm start`, the tests and the bench say
 * `development` explicitly (scripts/local_stack.ts, test-support/backends.ts,
 * the vitest configs). Unset, empty or any other value means **production**:
 * a typo or a forgotten var must never switch a development convenience on.
 *
 * What production changes (README, "Production settings"):
 * - the `/dev/*` routes of the edge are a plain 404, whatever else is set;
 * - the `outbox` email transport is refused (a configuration error);
 * - a required setting has no fallback: where the code needs it and it is
 *   missing, the service answers `Misconfigured` (the edge renders a 503
 *   page or a `server_error` JSON naming the setting) and logs it once per
 *   isolate, instead of guessing (an issuer from the Host header, a random
 *   per-isolate secret, a local WebAuthn relying party).
 */
import { Effect } from "effect"
import { Misconfigured } from "./errors.ts"
import { writeLog } from "./log.ts"

/** The two deployment kinds. */
export type AuthrimEnv = "development" | "production"

/** The worker var that names the deployment kind. */
export interface DeploymentVars {
  readonly AUTHRIM_ENV?: string | undefined
}

/** The deployment kind of a worker env: `development` only when it says exactly that, else `production`. */
export const authrimEnvOf = (env: DeploymentVars): AuthrimEnv =>
  env.AUTHRIM_ENV?.trim() === "development" ? "development" : "production"

/** True only for an env that explicitly says `AUTHRIM_ENV=development`. */
export const isDevelopment = (env: DeploymentVars): boolean => authrimEnvOf(env) === "development"

/** A setting's value when it is set to something other than blanks, else undefined. */
export const settingValue = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === "" ? undefined : trimmed
}

/** `service/setting` pairs already logged by this isolate: a misconfiguration is logged once, not per request. */
const loggedProblems = new Set<string>()

/**
 * The configuration error of `service` for `setting` (`reason` says what is
 * wrong, e.g. "is not set"), logged (a structured error line) the first time this
 * isolate meets it.
 */
export const misconfigured = (service: string, setting: string, reason = "is not set"): Misconfigured => {
  const key = `${service}/${setting}/${reason}`
  if (!loggedProblems.has(key)) {
    loggedProblems.add(key)
    writeLog("error", service, "configuration error", null, { setting, reason })
  }
  return new Misconfigured({ service, setting, reason })
}

/**
 * The value of a required setting, or `Misconfigured` naming it. There is no
 * default: a setting that is required has no safe fallback.
 */
export const requiredSetting = (service: string, setting: string, value: string | undefined): Effect.Effect<string, Misconfigured> => {
  const configured = settingValue(value)
  return configured === undefined ? Effect.fail(misconfigured(service, setting)) : Effect.succeed(configured)
}
