/**
 * Whether `/register` accepts a registration without an initial access token
 * (RFC 7591 §3 "open registration"). OFF by default — anyone could otherwise
 * create clients that show a consent screen in this provider's name. This
 * file is the ONE place it is decided:
 *   - the system settings' `openRegistration` (contracts/src/settings.ts),
 *     owned by identity: the edge asks identity's `getSettings` and keeps this
 *     isolate's copy for SETTINGS_MEMORY_TTL_MS (30 s, the same bound as every
 *     other settings reader, services/identity/storage-schema.md "SETTINGS").
 *     Only a token-less POST /register reads it (registration is rare), so no
 *     hot path gains a call. An admin PATCH of /admin/api/v1/settings puts the
 *     new document into this copy ({@link rememberSettings}), so this isolate
 *     obeys it on the very next request; other isolates within 30 s.
 *   - `OPEN_REGISTRATION=true` with `AUTHRIM_ENV=development` only: a
 *     development override that opens it whatever the settings say (tests,
 *     local tooling). Ignored in production, where the settings decide.
 * A failure to read the settings (identity down, no fresh copy) is the
 * caller's 503, never an open door.
 */
import { isDevelopment, SystemSettingsCache, type EdgeFailure, type SettingsDocument } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { ServiceEnv } from "../env.ts"

/** The registration settings of one isolate. */
export interface RegistrationSettings {
  /** `OPEN_REGISTRATION=true` in development: open whatever the settings say. */
  readonly developmentOverride: boolean
  /** This isolate's copy of the settings document (identity's). */
  readonly settingsCopy: SystemSettingsCache
}

/** Reads the development override (`OPEN_REGISTRATION`, "true" case-insensitive, honoured only with `AUTHRIM_ENV=development`). */
export const registrationSettingsFor = (env: Pick<ServiceEnv, "OPEN_REGISTRATION" | "AUTHRIM_ENV">): RegistrationSettings => ({
  developmentOverride: isDevelopment(env) && env.OPEN_REGISTRATION?.trim().toLowerCase() === "true",
  settingsCopy: new SystemSettingsCache()
})

/** Whether open registration is allowed for this request (a function: `Edge` and this module import each other). */
export const openRegistrationAllowed = Effect.fnUntraced(function*(): Effect.fn.Return<boolean, EdgeFailure, Edge> {
  const { registration, backends } = yield* Edge
  if (registration.developmentOverride) return true
  const cached = registration.settingsCopy.get()
  if (cached !== undefined) return cached.settings.openRegistration
  const document = yield* backends.settings.getSettings({})
  registration.settingsCopy.set(document)
  return document.settings.openRegistration
})

/** After an admin's settings write: this isolate's copy becomes the written document (in force here on the next request). */
export const rememberSettings = (document: SettingsDocument) =>
  Edge.use(({ registration }) => Effect.sync(() => registration.settingsCopy.set(document)))
