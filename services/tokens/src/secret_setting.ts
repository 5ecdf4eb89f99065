/**
 * A secret the tokens worker derives keys from (`DPOP_NONCE_SECRET`,
 * `REFRESH_SUCCESSOR_SECRET`, `PAIRWISE_SUBJECT_SECRET`): the configured value
 * (trimmed); unset outside development, a configuration error — never a
 * random secret whose outputs would differ per isolate in production; with
 * `AUTHRIM_ENV=development` only, one random secret per setting for the life
 * of this isolate.
 */
import { base64url } from "@authrim/platform"
import { isDevelopment, misconfigured, settingValue, Unavailable, type DeploymentVars, type Misconfigured } from "@authrim/contracts"
import { Effect } from "effect"

const isolateSecrets = new Map<string, string>()

/** The value of secret `setting` (`value` is what the env holds for it). */
export const secretSetting = (env: DeploymentVars, setting: string, value: string | undefined): Effect.Effect<string, Misconfigured> => {
  const configured = settingValue(value)
  if (configured !== undefined) return Effect.succeed(configured)
  if (!isDevelopment(env)) return Effect.fail(misconfigured("tokens", setting))
  const secret = isolateSecrets.get(setting) ?? base64url(crypto.getRandomValues(new Uint8Array(32)))
  isolateSecrets.set(setting, secret)
  return Effect.succeed(secret)
}

/** Like {@link secretSetting}, the configuration error reported as `Unavailable` (503) for callers whose channel has no `Misconfigured`. */
export const requiredSecret = (env: DeploymentVars, setting: string, value: string | undefined): Effect.Effect<string, Unavailable> =>
  secretSetting(env, setting, value).pipe(
    Effect.mapError((problem) => new Unavailable({ service: "tokens", reason: `configuration error: ${problem.setting} ${problem.reason}` }))
  )
