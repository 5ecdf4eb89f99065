/**
 * Whether `/register` accepts a registration without an initial access token
 * (RFC 7591 §3 "open registration"). OFF by default — anyone could otherwise
 * create clients that show a consent screen in this provider's name. This
 * file is the ONE place it is decided:
 *   - the system settings' `openRegistration` (contracts/src/settings.ts),
 *     owned by identity: the edge asks identity's `getSettings` and keeps this
 *     isolate's copy for SETTINGS_MEMORY_TTL_MS (30 s, the same bound as every
 *     other settings reader, services/identity/storage-schema.md "SETTINGS"; the
 *     copy is the edge's one, authorize/sign_in_settings.ts). Only a token-less
 *     POST /register reads it (registration is rare), so no hot path gains a
 *     call. An admin PATCH of /admin/api/v1/settings puts the new document into
 *     that copy (`keepWrittenSettings`), so this isolate obeys it on the very
 *     next request; other isolates within 30 s.
 *   - `OPEN_REGISTRATION=true` with `AUTHRIM_ENV=development` only: a
 *     development override that opens it whatever the settings say (tests,
 *     local tooling). Ignored in production, where the settings decide.
 * A failure to read the settings (identity down, no fresh copy) is the
 * caller's 503, never an open door.
 */
import { isDevelopment, type EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { ServiceEnv } from "../env.ts"

/** The registration settings of one isolate. */
export interface RegistrationSettings {
  /** `OPEN_REGISTRATION=true` in development: open whatever the settings say. */
  readonly developmentOverride: boolean
}

/** Reads the development override (`OPEN_REGISTRATION`, "true" case-insensitive, honoured only with `AUTHRIM_ENV=development`). */
export const registrationSettingsFor = (env: Pick<ServiceEnv, "OPEN_REGISTRATION" | "AUTHRIM_ENV">): RegistrationSettings => ({
  developmentOverride: isDevelopment(env) && env.OPEN_REGISTRATION?.trim().toLowerCase() === "true"
})

/**
 * Whether open registration is allowed for this request (a function: `Edge` and this module import each other).
 * It reads the edge's one settings copy (authorize/sign_in_settings.ts) but, unlike the pages, fails closed: with
 * no fresh copy and identity unreachable the request fails (503) instead of falling back to an older answer.
 */
export const openRegistrationAllowed = Effect.fnUntraced(function*(): Effect.fn.Return<boolean, EdgeFailure, Edge> {
  const { registration, backends, settingsCopy } = yield* Edge
  if (registration.developmentOverride) return true
  const fresh = settingsCopy.fresh()
  if (fresh !== undefined) return fresh.settings.openRegistration
  const document = yield* backends.settings.getSettings({})
  settingsCopy.keep(document)
  return document.settings.openRegistration
})
