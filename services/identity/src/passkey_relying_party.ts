/**
 * The WebAuthn relying party this provider is, from the identity worker's
 * configuration (wrangler vars), never from a caller:
 *
 * - `WEBAUTHN_RP_ID`: the RP id (a registrable domain of the sign-in pages'
 *   host, e.g. `id.example.com` or `example.com`). Default `localhost`:
 *   browsers refuse IP addresses as RP ids, so local development signs in
 *   with passkeys at http://localhost:8787.
 * - `WEBAUTHN_RP_NAME`: the name authenticators show. Default `Authrim`.
 * - `WEBAUTHN_ORIGINS`: comma-separated origins the ceremonies may come from
 *   (`clientDataJSON.origin`, exact match). Default
 *   `http://localhost:8787,http://127.0.0.1:8787` (`wrangler dev`).
 */
import { Context, Effect } from "effect"

export interface RelyingPartyShape {
  readonly id: string
  readonly name: string
  readonly origins: ReadonlyArray<string>
}

export class PasskeyRelyingParty extends Context.Service<PasskeyRelyingParty, RelyingPartyShape>()(
  "@authrim/identity/PasskeyRelyingParty"
) {}

/** Local defaults (see the module comment). */
export const LOCAL_RELYING_PARTY: RelyingPartyShape = {
  id: "localhost",
  name: "Authrim",
  origins: ["http://localhost:8787", "http://127.0.0.1:8787"]
}

const configured = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === "" ? undefined : trimmed
}

/** The relying party from the worker's vars, each unset one falling back to its local default. */
export const relyingPartyFromEnv = (env: {
  readonly WEBAUTHN_RP_ID?: string | undefined
  readonly WEBAUTHN_RP_NAME?: string | undefined
  readonly WEBAUTHN_ORIGINS?: string | undefined
}): RelyingPartyShape => {
  const origins = configured(env.WEBAUTHN_ORIGINS)?.split(",").map((o) => o.trim().replace(/\/+$/, "")).filter((o) => o !== "")
  return {
    id: configured(env.WEBAUTHN_RP_ID) ?? LOCAL_RELYING_PARTY.id,
    name: configured(env.WEBAUTHN_RP_NAME) ?? LOCAL_RELYING_PARTY.name,
    origins: origins !== undefined && origins.length > 0 ? origins : LOCAL_RELYING_PARTY.origins
  }
}

/** Provides the relying party of `env` to a passkey program. */
export const withRelyingParty = (env: Parameters<typeof relyingPartyFromEnv>[0]) =>
  <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, E, Exclude<R, PasskeyRelyingParty>> =>
    Effect.provideService(program, PasskeyRelyingParty, relyingPartyFromEnv(env))
