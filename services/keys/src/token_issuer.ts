/**
 * The issuer every token the keys service signs must name (`iss`), from the
 * worker's `ISSUER` setting — the same value as the edge's `ISSUER`
 * (services/edge/src/route_context.ts), normalised the same way (trimmed, no
 * trailing slash).
 *
 * - Production: required. Unset, `signTokens` fails with `Misconfigured`
 *   naming `ISSUER` (the JWKS, rotation and health do not need it and keep
 *   working).
 * - Development (`AUTHRIM_ENV=development`) with `ISSUER` set (`npm start`,
 *   the e2e stack and the bench pass the edge's issuer to keys too:
 *   scripts/local_stack.ts): exactly that issuer, as in production.
 * - Development without `ISSUER` (the vitest projects, where the edge takes
 *   the issuer from each test request's origin): any absolute http(s) URL.
 */
import { isDevelopment, misconfigured, settingValue, type DeploymentVars, type Misconfigured } from "@authrim/contracts"
import { Context, Effect, Layer } from "effect"

/** The issuer `iss` must equal; `null`: development without `ISSUER`, any http(s) URL. */
export type IssuerRule = string | null

export class TokenIssuer extends Context.Service<TokenIssuer, Effect.Effect<IssuerRule, Misconfigured>>()("authrim-keys/TokenIssuer") {}

/** The rule of a worker env (see the file comment). */
export const issuerRuleOf = (env: DeploymentVars & { readonly ISSUER?: string | undefined }): Effect.Effect<IssuerRule, Misconfigured> => {
  const configured = settingValue(env.ISSUER)
  if (configured !== undefined) return Effect.succeed(configured.replace(/\/+$/, ""))
  return isDevelopment(env) ? Effect.succeed(null) : Effect.fail(misconfigured("keys", "ISSUER"))
}

/** `TokenIssuer` from the worker's env; never fails to build (only signing needs the issuer). */
export const tokenIssuerLayer = (env: DeploymentVars & { readonly ISSUER?: string | undefined }): Layer.Layer<TokenIssuer> =>
  Layer.succeed(TokenIssuer)(issuerRuleOf(env))

/** Why `iss` is refused under `rule`, or null when it is the issuer. */
export const issRefusal = (iss: unknown, rule: IssuerRule): string | null => {
  if (typeof iss !== "string" || iss === "") return "iss is missing"
  if (rule !== null) return iss === rule ? null : "iss is not this deployment's issuer"
  if (!URL.canParse(iss)) return "iss is not an absolute URL"
  const protocol = new URL(iss).protocol
  return protocol === "https:" || protocol === "http:" ? null : "iss is not an http(s) URL"
}
