/**
 * The system settings document (issue 12 §5), owned here: KV `SETTINGS` key
 * `system_settings`, read through this isolate's copy (contracts/src/settings_cache.ts),
 * written by `updateSettings` with a version check (If-Match), audited as
 * `admin.action`. How fast a write is in force elsewhere: storage-schema.md "SETTINGS".
 */
import {
  applySettingsPatch,
  InvalidSettings,
  OAuthError,
  readSystemSettings,
  SETTINGS_KV_KEY,
  SettingsVersionConflict,
  Unavailable,
  type SettingsDocument,
  type SettingsPatch
} from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { auditSettingsChange } from "../identity_audit.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

/** The current settings document (this isolate's copy when fresh, else one KV read). */
export const getSettings = Effect.fnUntraced(function*() {
  const { settingsKv, settingsCache, environment } = yield* IdentityBindings
  return yield* readSystemSettings(settingsKv, settingsCache, environment, serviceName)
})

/** The current settings (what the programs of this service consult). */
export const currentSettings = Effect.map(getSettings(), (document) => document.settings)

/**
 * Applies `patch` to the stored document. The version check reads KV fresh
 * (not this isolate's copy). KV has no compare-and-set, so two writes racing
 * within the same instant could both pass the check; settings writes are
 * rare and admin-only, the later one wins, and both are audited.
 */
export const updateSettings = Effect.fnUntraced(function*(input: {
  readonly patch: SettingsPatch
  readonly expectedVersion?: number | undefined
  readonly adminUserId: string | null
}) {
  const { settingsKv, settingsCache } = yield* IdentityBindings
  settingsCache.forget()
  const current = yield* getSettings()
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    return yield* new SettingsVersionConflict({ currentVersion: current.version })
  }
  const next = applySettingsPatch(current.settings, input.patch)
  if (next instanceof InvalidSettings) return yield* next
  const document: SettingsDocument = {
    version: current.version + 1,
    updatedAt: yield* Clock.currentTimeMillis,
    updatedBy: input.adminUserId,
    settings: next
  }
  yield* Effect.tryPromise({
    try: () => settingsKv.put(SETTINGS_KV_KEY, JSON.stringify(document)),
    catch: (cause) => new Unavailable({ service: serviceName, reason: `KV SETTINGS put: ${cause instanceof Error ? cause.message : String(cause)}` })
  })
  // In force in this isolate on its very next request.
  settingsCache.set(document)
  yield* auditSettingsChange({
    adminUserId: input.adminUserId,
    version: document.version,
    fields: changedFields(input.patch)
  })
  return document
})

/** The patched field paths, for the audit entry (values are not secret, but the list is what a reader scans). */
const changedFields = (patch: SettingsPatch): string =>
  Object.entries(patch).flatMap(([key, value]) =>
    value === undefined ? []
    : typeof value === "object" && value !== null ? Object.keys(value).map((inner) => `${key}.${inner}`)
    : [key]).join(",")

/** The first factors `signInMethods` can turn off, with the name a user reads. */
const methodNames = { password: "Password", passkey: "Passkey", magicLink: "Email link", upstream: "External provider" } as const

/**
 * Fails with `access_denied` when `method` is turned off in the settings —
 * checked by the backend that runs the method, so a disabled method is
 * refused even when a page still offers it or a client posts to it directly.
 */
export const requireSignInMethod = Effect.fnUntraced(function*(method: keyof typeof methodNames) {
  const { signInMethods } = yield* currentSettings
  if (!signInMethods[method]) {
    return yield* new OAuthError({ code: "access_denied", description: `${methodNames[method]} sign-in is turned off. Use another way to sign in.` })
  }
})
