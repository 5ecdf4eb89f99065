/**
 * The WebAuthn relying party this provider is, from the identity worker's
 * configuration (wrangler vars), never from a caller. All three are required
 * in every deployment — there are no defaults in the source, so a production
 * deployment cannot end up as the `localhost` relying party:
 *
 * - `WEBAUTHN_RP_ID`: the RP id (a registrable domain of the sign-in pages'
 *   host, e.g. `id.example.com` or `example.com`). Locally `localhost`
 *   (browsers refuse IP addresses as RP ids, so local development signs in
 *   with passkeys at http://localhost:8787).
 * - `WEBAUTHN_RP_NAME`: the name authenticators show (e.g. `Authrim`).
 * - `WEBAUTHN_ORIGINS`: comma-separated origins the ceremonies may come from
 *   (`clientDataJSON.origin`, exact match), e.g. `https://id.example.com`.
 *
 * The local values live in the development configuration (scripts/local_stack.ts
 * for `npm start`, test-support/development_settings.ts for the tests). Unset,
 * every passkey ceremony fails with `Misconfigured` naming the setting.
 */
import { requiredSetting, type Misconfigured } from "@authrim/contracts"
import { Context, Effect } from "effect"
import { configuredLayer, type Configured } from "../configured_setting.ts"
import { serviceName } from "../identity_bindings.ts"

export interface RelyingPartyShape {
  readonly id: string
  readonly name: string
  readonly origins: ReadonlyArray<string>
}

/** The relying party of this worker, or the `Misconfigured` naming the first WebAuthn setting missing (see configured_setting.ts). */
export class PasskeyRelyingParty extends Context.Service<PasskeyRelyingParty, Configured<RelyingPartyShape>>()(
  "@authrim/identity/PasskeyRelyingParty"
) {}

/** The relying party; every ceremony reads it first, so a misconfigured one fails before a challenge is made or spent. */
export const relyingParty = PasskeyRelyingParty.use((rp) => rp)

/** The WebAuthn vars of the identity worker. */
export interface RelyingPartyVars {
  readonly WEBAUTHN_RP_ID?: string | undefined
  readonly WEBAUTHN_RP_NAME?: string | undefined
  readonly WEBAUTHN_ORIGINS?: string | undefined
}

/** Origins from the comma-separated var (blanks dropped, trailing slashes dropped); blank → unset. */
const originsOf = (value: string | undefined): string | undefined => {
  const origins = value?.split(",").map((o) => o.trim().replace(/\/+$/, "")).filter((o) => o !== "") ?? []
  return origins.length === 0 ? undefined : origins.join(",")
}

/** The relying party from the worker's vars, or `Misconfigured` naming the first one missing. */
export const relyingPartyFromEnv = (env: RelyingPartyVars): Effect.Effect<RelyingPartyShape, Misconfigured> =>
  Effect.all({
    id: requiredSetting(serviceName, "WEBAUTHN_RP_ID", env.WEBAUTHN_RP_ID),
    name: requiredSetting(serviceName, "WEBAUTHN_RP_NAME", env.WEBAUTHN_RP_NAME),
    origins: requiredSetting(serviceName, "WEBAUTHN_ORIGINS", originsOf(env.WEBAUTHN_ORIGINS))
  }).pipe(Effect.map(({ id, name, origins }) => ({ id, name, origins: origins.split(",") })))

/** `PasskeyRelyingParty` from the worker's vars. */
export const relyingPartyLayer = (env: RelyingPartyVars) => configuredLayer(PasskeyRelyingParty, relyingPartyFromEnv(env))
