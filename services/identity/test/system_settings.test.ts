/**
 * Issue 12 §5: the settings document owned by identity — versioned writes
 * (If-Match), whole-document checks naming the field, `admin.action` audit
 * with the acting admin, and the settings consulted by this service's
 * programs (password policy, sign-in methods, MFA required).
 */
import { InvalidSettings, OAuthError, SETTINGS_KV_KEY, SETTINGS_MEMORY_TTL_MS, SettingsVersionConflict } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { afterEach, describe, expect, it } from "vitest"
import { changePassword } from "../src/passwords/password_change.ts"
import { getSettings, updateSettings } from "../src/settings/system_settings.ts"
import { authenticatePassword, upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

// Each test starts from the defaults (nothing stored).
afterEach(() => env.SETTINGS.delete(SETTINGS_KV_KEY))

describe("Settings document — versioned, checked, audited", () => {
  it("starts at version 0 with the defaults; each write adds 1 and is stored in KV SETTINGS", async () => {
    const h = makeHarness()
    expect((await h.run(getSettings())).version).toBe(0)
    const written = await h.run(updateSettings({ patch: { accessTokenLifetimeSeconds: 900 }, adminUserId: "admin-1" }))
    expect(written).toMatchObject({ version: 1, updatedBy: "admin-1", settings: { accessTokenLifetimeSeconds: 900 } })
    expect(await env.SETTINGS.get(SETTINGS_KV_KEY, "json")).toMatchObject({ version: 1, settings: { accessTokenLifetimeSeconds: 900 } })
  })

  it("If-Match: a stale expectedVersion is SettingsVersionConflict and writes nothing", async () => {
    const h = makeHarness()
    await h.run(updateSettings({ patch: { mfaRequired: false }, expectedVersion: 0, adminUserId: "a" }))
    const conflict = await h.fail(updateSettings({ patch: { mfaRequired: true }, expectedVersion: 0, adminUserId: "b" }))
    expect(conflict).toBeInstanceOf(SettingsVersionConflict)
    expect((conflict as SettingsVersionConflict).currentVersion).toBe(1)
    expect((await h.run(getSettings())).settings.mfaRequired).toBe(false)
  })

  it("a bad value is InvalidSettings naming the field, and nothing is written", async () => {
    const h = makeHarness()
    const bad = await h.fail(updateSettings({ patch: { passwordPolicy: { minLength: 3 } }, adminUserId: "a" }))
    expect(bad).toBeInstanceOf(InvalidSettings)
    expect((bad as InvalidSettings).field).toBe("passwordPolicy.minLength")
    expect(await env.SETTINGS.get(SETTINGS_KV_KEY)).toBeNull()
  })

  it("audits admin.action with the acting admin and the changed fields", async () => {
    const h = makeHarness()
    await h.run(updateSettings({ patch: { signInMethods: { magicLink: false }, openRegistration: true }, adminUserId: "admin-7" }))
    expect(h.audit.events()).toMatchObject([{
      type: "admin.action", actor: { kind: "admin", id: "admin-7" }, subject: { kind: "settings", id: "system_settings" },
      details: { action: "settings.updated", version: 1, fields: "signInMethods.magicLink,openRegistration" }
    }])
  })

  it("the writing isolate uses the change at once; another isolate within SETTINGS_MEMORY_TTL_MS", async () => {
    const writer = makeHarness()
    const other = makeHarness()
    expect((await other.run(getSettings())).settings.sessionLifetimeSeconds).toBe(86_400)
    await writer.run(updateSettings({ patch: { sessionLifetimeSeconds: 3_600 }, adminUserId: "a" }))
    expect((await writer.run(getSettings())).settings.sessionLifetimeSeconds).toBe(3_600)
    expect((await other.run(getSettings())).settings.sessionLifetimeSeconds).toBe(86_400)
    other.clock.advance(SETTINGS_MEMORY_TTL_MS)
    expect((await other.run(getSettings())).settings.sessionLifetimeSeconds).toBe(3_600)
  })
})

describe("Settings in force in identity's programs", () => {
  it("password policy: upsertUser and changePassword refuse a password below passwordPolicy.minLength", async () => {
    const h = makeHarness()
    await h.run(updateSettings({ patch: { passwordPolicy: { minLength: 16 } }, adminUserId: "a" }))
    const refused = await h.fail(upsertUser({ email: `${unique("short")}@example.com`, password: "only-12-char", name: null, emailVerified: true }))
    expect(refused).toMatchObject({ code: "invalid_request", description: "Choose a password of at least 16 characters." })
    const user = await h.run(upsertUser({ email: `${unique("long")}@example.com`, password: "sixteen-chars-ok", name: null, emailVerified: true }))
    expect(await h.fail(changePassword({ userId: user.id, currentPassword: "sixteen-chars-ok", newPassword: "short-again" }))).toMatchObject({ code: "invalid_request" })
  })

  it("signInMethods.password off: authenticatePassword is access_denied, even with the right password", async () => {
    const h = makeHarness()
    const email = `${unique("off")}@example.com`
    await h.run(upsertUser({ email, password: "right-password", name: null, emailVerified: true }))
    await h.run(updateSettings({ patch: { signInMethods: { password: false } }, adminUserId: "a" }))
    const refused = await h.fail(authenticatePassword({ email, password: "right-password" }))
    expect(refused).toBeInstanceOf(OAuthError)
    expect(refused).toMatchObject({ code: "access_denied" })
  })

  it("mfaRequired: a correct password of an account without TOTP is access_denied (audited as second_factor_required)", async () => {
    const h = makeHarness()
    const email = `${unique("mfa")}@example.com`
    await h.run(upsertUser({ email, password: "right-password", name: null, emailVerified: true }))
    await h.run(updateSettings({ patch: { mfaRequired: true }, adminUserId: "a" }))
    h.audit.clear()
    expect(await h.fail(authenticatePassword({ email, password: "right-password" }))).toMatchObject({ code: "access_denied" })
    expect(h.audit.events()).toMatchObject([{ type: "sign_in.failed", details: { reason: "second_factor_required" } }])
  })
})
