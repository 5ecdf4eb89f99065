/**
 * Issue 12 §5: the settings document — defaults equal today's behaviour, every
 * write is checked as a whole (the error names the field), stored documents
 * are read leniently, and an isolate's copy lives SETTINGS_MEMORY_TTL_MS.
 */
import { describe, expect, it } from "vitest"
import {
  applySettingsPatch,
  defaultSettings,
  InvalidSettings,
  SETTINGS_MEMORY_TTL_MS,
  settingsDocumentFrom,
  SystemSettingsCache,
  type SettingsPatch
} from "../src/index.ts"

const base = defaultSettings("development")

describe("Settings defaults are today's hard-coded values", () => {
  it("24 h sessions, 1 h access and ID tokens, 30-day refresh families, 8…256 passwords, every method on, open registration off", () => {
    expect(base).toEqual({
      sessionLifetimeSeconds: 86_400,
      accessTokenLifetimeSeconds: 3_600,
      idTokenLifetimeSeconds: 3_600,
      refreshTokenLifetimeSeconds: 2_592_000,
      passwordPolicy: { minLength: 8, maxLength: 256 },
      mfaRequired: false,
      mfaRequiredForAdmins: false,
      signInMethods: { password: true, passkey: true, magicLink: true, upstream: true },
      openRegistration: false
    })
    expect(defaultSettings("production").mfaRequiredForAdmins).toBe(true)
  })
})

describe("applySettingsPatch — every value checked, the error names the field", () => {
  const ugly: ReadonlyArray<readonly [SettingsPatch, string]> = [
    [{ sessionLifetimeSeconds: 0 }, "sessionLifetimeSeconds"],
    [{ sessionLifetimeSeconds: 1.5e9 }, "sessionLifetimeSeconds"],
    [{ sessionLifetimeSeconds: Number.NaN }, "sessionLifetimeSeconds"],
    [{ accessTokenLifetimeSeconds: 3_601 }, "accessTokenLifetimeSeconds"],
    [{ accessTokenLifetimeSeconds: 59 }, "accessTokenLifetimeSeconds"],
    [{ accessTokenLifetimeSeconds: 600.5 }, "accessTokenLifetimeSeconds"],
    [{ idTokenLifetimeSeconds: -1 }, "idTokenLifetimeSeconds"],
    [{ refreshTokenLifetimeSeconds: Number.POSITIVE_INFINITY }, "refreshTokenLifetimeSeconds"],
    [{ passwordPolicy: { minLength: 4 } }, "passwordPolicy.minLength"],
    [{ passwordPolicy: { maxLength: 10_000 } }, "passwordPolicy.maxLength"],
    [{ passwordPolicy: { minLength: 20, maxLength: 12 } }, "passwordPolicy.maxLength"],
    [{ signInMethods: { password: false, passkey: false, magicLink: false, upstream: false } }, "signInMethods"]
  ]
  it.each(ugly)("%j → InvalidSettings on %s", (patch, field) => {
    const result = applySettingsPatch(base, patch)
    expect(result).toBeInstanceOf(InvalidSettings)
    expect((result as InvalidSettings).field).toBe(field)
  })

  it("a valid patch changes only what it names; nested objects merge", () => {
    const next = applySettingsPatch(base, { accessTokenLifetimeSeconds: 600, signInMethods: { magicLink: false }, passwordPolicy: { minLength: 12 } })
    expect(next).toEqual({ ...base, accessTokenLifetimeSeconds: 600, signInMethods: { ...base.signInMethods, magicLink: false }, passwordPolicy: { minLength: 12, maxLength: 256 } })
  })
})

describe("settingsDocumentFrom — stored documents read leniently", () => {
  it("fields a writer left out take their default; garbage is null", () => {
    expect(settingsDocumentFrom({ version: 3, updatedAt: 1, updatedBy: "a", settings: { mfaRequired: true, signInMethods: { passkey: false } } }, "development"))
      .toEqual({ version: 3, updatedAt: 1, updatedBy: "a", settings: { ...base, mfaRequired: true, signInMethods: { ...base.signInMethods, passkey: false } } })
    expect(settingsDocumentFrom("nope", "development")).toBeNull()
    expect(settingsDocumentFrom({ version: "x", updatedAt: 1, settings: {} }, "development")).toBeNull()
  })
})

describe("SystemSettingsCache — an isolate's copy", () => {
  const doc = (version: number) => ({ version, updatedAt: 0, updatedBy: null, settings: base })
  it(`lives ${SETTINGS_MEMORY_TTL_MS} ms, is dropped by forget(), and never goes back to an older version`, () => {
    let now = 1_000
    const cache = new SystemSettingsCache(() => now)
    expect(cache.get()).toBeUndefined()
    cache.set(doc(2))
    now += SETTINGS_MEMORY_TTL_MS - 1
    expect(cache.get()?.version).toBe(2)
    cache.set(doc(1)) // a lagging KV read
    expect(cache.get()?.version).toBe(2)
    now += SETTINGS_MEMORY_TTL_MS
    expect(cache.get()).toBeUndefined()
    cache.set(doc(3))
    cache.forget()
    expect(cache.get()).toBeUndefined()
  })
})
