/**
 * System settings (issue 12 §5): one JSON document in KV `SETTINGS` (key
 * {@link SETTINGS_KV_KEY}), owned by the identity service (`getSettings` /
 * `updateSettings` below); tokens and session read the same key through
 * `SystemSettingsCache` (settings_cache.ts). Every default is today's
 * hard-coded value, so a deployment that never writes settings behaves as
 * before. How fast a change is in force everywhere: services/identity/storage-schema.md
 * ("SETTINGS").
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** KV key of the settings document in namespace `SETTINGS`. */
export const SETTINGS_KV_KEY = "system_settings"

/** NIST SP 800-63B §5.1.1.2: what a new password must be (no composition rules, by design). */
export const PasswordPolicy = Schema.Struct({
  /** Shortest password in code points; NIST's floor is 8 (default 8). */
  minLength: Schema.Number,
  /** Longest password in code points; ≤ 256 so PBKDF2 is never fed a megabyte (default 256). */
  maxLength: Schema.Number
})
/** Type of {@link PasswordPolicy}. */
export type PasswordPolicy = typeof PasswordPolicy.Type

/** Which first factors the hosted pages offer and the backends accept (all on by default). */
export const SignInMethodSettings = Schema.Struct({
  password: Schema.Boolean,
  passkey: Schema.Boolean,
  magicLink: Schema.Boolean,
  /** "Sign in with …" upstream identity providers. */
  upstream: Schema.Boolean
})
/** Type of {@link SignInMethodSettings}. */
export type SignInMethodSettings = typeof SignInMethodSettings.Type

/** The settings themselves (what an operator edits). */
export const Settings = Schema.Struct({
  /** Browser session lifetime without a new sign-in (default 24 h; 5 min … 400 days, RFC 6265bis cookie cap). */
  sessionLifetimeSeconds: Schema.Number,
  /** RFC 9068 access token lifetime (default 1 h; 60 s … 1 h: a replayed code must still be able to revoke it). */
  accessTokenLifetimeSeconds: Schema.Number,
  /** ID token `exp` (default 1 h; 60 s … 24 h). */
  idTokenLifetimeSeconds: Schema.Number,
  /** Refresh-token family absolute lifetime (default 30 days; 1 h … 365 days). Applies to families created after the change. */
  refreshTokenLifetimeSeconds: Schema.Number,
  passwordPolicy: PasswordPolicy,
  /** Every password sign-in needs a second factor (default false). */
  mfaRequired: Schema.Boolean,
  /** Holders of an admin permission get scope `admin` only from a sign-in with a second factor (default true in production, false in development; enforced at /authorize: services/edge/src/authorize/admin_second_factor.ts). */
  mfaRequiredForAdmins: Schema.Boolean,
  signInMethods: SignInMethodSettings,
  /** RFC 7591 registration without an initial access token (default false). */
  openRegistration: Schema.Boolean
})
/** Type of {@link Settings}. */
export type Settings = typeof Settings.Type

/** Today's behaviour: the values the code had hard-coded before settings existed. */
export const defaultSettings = (environment: "development" | "production"): Settings => ({
  sessionLifetimeSeconds: 24 * 60 * 60,
  accessTokenLifetimeSeconds: 3_600,
  idTokenLifetimeSeconds: 3_600,
  refreshTokenLifetimeSeconds: 30 * 24 * 60 * 60,
  passwordPolicy: { minLength: 8, maxLength: 256 },
  mfaRequired: false,
  mfaRequiredForAdmins: environment === "production",
  signInMethods: { password: true, passkey: true, magicLink: true, upstream: true },
  openRegistration: false
})

/** The stored document: the settings and a version bumped by every write (the admin API's ETag / If-Match). */
export const SettingsDocument = Schema.Struct({
  /** 0 = never written (the defaults); each successful update adds 1. */
  version: Schema.Number,
  /** Epoch ms of the last write (0 for the defaults). */
  updatedAt: Schema.Number,
  /** The admin who made the last write, or null. */
  updatedBy: Schema.NullOr(Schema.String),
  settings: Settings
})
/** Type of {@link SettingsDocument}. */
export type SettingsDocument = typeof SettingsDocument.Type

/** A partial change: absent fields keep their current value. Checked as a whole after merging. */
export const SettingsPatch = Schema.Struct({
  sessionLifetimeSeconds: Schema.optional(Schema.Number),
  accessTokenLifetimeSeconds: Schema.optional(Schema.Number),
  idTokenLifetimeSeconds: Schema.optional(Schema.Number),
  refreshTokenLifetimeSeconds: Schema.optional(Schema.Number),
  passwordPolicy: Schema.optional(Schema.Struct({ minLength: Schema.optional(Schema.Number), maxLength: Schema.optional(Schema.Number) })),
  mfaRequired: Schema.optional(Schema.Boolean),
  mfaRequiredForAdmins: Schema.optional(Schema.Boolean),
  signInMethods: Schema.optional(Schema.Struct({
    password: Schema.optional(Schema.Boolean),
    passkey: Schema.optional(Schema.Boolean),
    magicLink: Schema.optional(Schema.Boolean),
    upstream: Schema.optional(Schema.Boolean)
  })),
  openRegistration: Schema.optional(Schema.Boolean)
})
/** Type of {@link SettingsPatch}. */
export type SettingsPatch = typeof SettingsPatch.Type

/** A settings value out of range; `field` is its path (`passwordPolicy.minLength`). The admin API answers 400 naming it. */
export class InvalidSettings extends Schema.TaggedError<InvalidSettings>()("InvalidSettings", {
  field: Schema.String,
  reason: Schema.String
}) {}

/** `expectedVersion` is not the stored version (someone else wrote first): the admin API answers 412. */
export class SettingsVersionConflict extends Schema.TaggedError<SettingsVersionConflict>()("SettingsVersionConflict", {
  currentVersion: Schema.Number
}) {}

const integerIn = (field: string, min: number, max: number) => (value: number): InvalidSettings | null =>
  Number.isInteger(value) && value >= min && value <= max
    ? null
    : new InvalidSettings({ field, reason: `must be an integer from ${min} to ${max}` })

const DAY = 24 * 60 * 60

/** Range rules per numeric field (why each bound: see {@link Settings}). */
const numericRules: ReadonlyArray<readonly [string, (s: Settings) => number, (value: number) => InvalidSettings | null]> = [
  ["sessionLifetimeSeconds", (s) => s.sessionLifetimeSeconds, integerIn("sessionLifetimeSeconds", 300, 400 * DAY)],
  ["accessTokenLifetimeSeconds", (s) => s.accessTokenLifetimeSeconds, integerIn("accessTokenLifetimeSeconds", 60, 3_600)],
  ["idTokenLifetimeSeconds", (s) => s.idTokenLifetimeSeconds, integerIn("idTokenLifetimeSeconds", 60, DAY)],
  ["refreshTokenLifetimeSeconds", (s) => s.refreshTokenLifetimeSeconds, integerIn("refreshTokenLifetimeSeconds", 3_600, 365 * DAY)],
  ["passwordPolicy.minLength", (s) => s.passwordPolicy.minLength, integerIn("passwordPolicy.minLength", 8, 256)],
  ["passwordPolicy.maxLength", (s) => s.passwordPolicy.maxLength, integerIn("passwordPolicy.maxLength", 8, 256)]
]

/**
 * `current` with `patch` applied, or the first rule it breaks. At least one
 * sign-in method stays on (else nobody, admins included, could sign in).
 */
export const applySettingsPatch = (current: Settings, patch: SettingsPatch): Settings | InvalidSettings => {
  const next: Settings = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined && typeof v !== "object")),
    passwordPolicy: { ...current.passwordPolicy, ...definedOnly(patch.passwordPolicy) },
    signInMethods: { ...current.signInMethods, ...definedOnly(patch.signInMethods) }
  }
  for (const [, read, check] of numericRules) {
    const failure = check(read(next))
    if (failure !== null) return failure
  }
  if (next.passwordPolicy.maxLength < next.passwordPolicy.minLength) {
    return new InvalidSettings({ field: "passwordPolicy.maxLength", reason: "must not be below passwordPolicy.minLength" })
  }
  if (!Object.values(next.signInMethods).some((on) => on)) {
    return new InvalidSettings({ field: "signInMethods", reason: "at least one sign-in method must stay enabled" })
  }
  return next
}

const definedOnly = <T extends object>(value: T | undefined): Partial<T> =>
  value === undefined ? {} : Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>

/**
 * A stored document, read leniently: fields a newer or older writer left out
 * take their default, so adding a setting never needs a data migration.
 * Null when `raw` is not a settings document at all.
 */
export const settingsDocumentFrom = (raw: unknown, environment: "development" | "production"): SettingsDocument | null => {
  if (typeof raw !== "object" || raw === null) return null
  const stored = raw as { version?: unknown; updatedAt?: unknown; updatedBy?: unknown; settings?: unknown }
  const defaults = defaultSettings(environment)
  const settings = typeof stored.settings === "object" && stored.settings !== null ? stored.settings as Partial<Settings> : {}
  const candidate = {
    version: stored.version,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy ?? null,
    settings: {
      ...defaults,
      ...settings,
      passwordPolicy: { ...defaults.passwordPolicy, ...settings.passwordPolicy },
      signInMethods: { ...defaults.signInMethods, ...settings.signInMethods }
    }
  }
  const decoded = Schema.decodeUnknownOption(SettingsDocument)(candidate)
  return decoded._tag === "Some" ? decoded.value : null
}

/** The document before anything was written: version 0, the defaults. */
export const defaultSettingsDocument = (environment: "development" | "production"): SettingsDocument => ({
  version: 0, updatedAt: 0, updatedBy: null, settings: defaultSettings(environment)
})

/** Methods of the identity service for settings (admin API, console). */
export const SettingsContract = {
  /** The current document (the defaults at version 0 when none was written). */
  getSettings: rpcMethod(Schema.Struct({}), SettingsDocument, Schema.Union([Unavailable, NotFound])),
  /**
   * Applies `patch` when `expectedVersion` (If-Match) is absent or equals the
   * stored version; the whole result is checked (`InvalidSettings` names the
   * field). Audited as `admin.action` with `adminUserId` as the actor.
   */
  updateSettings: rpcMethod(
    Schema.Struct({ patch: SettingsPatch, expectedVersion: Schema.optional(Schema.Number), adminUserId: Schema.NullOr(Schema.String) }),
    SettingsDocument,
    Schema.Union([InvalidSettings, SettingsVersionConflict, Unavailable, OAuthError])
  )
} as const
export const SettingsContractVersion = contractVersion(SettingsContract, { name: "settings", version: 1 })

/** RPC interface of the settings methods (served by `IdentityService`). */
export type SettingsRpc = RpcInterface<typeof SettingsContract>
