/**
 * Issue 12 §5: access / ID / refresh lifetimes come from the settings document
 * (KV SETTINGS, through the isolate's copy); without a document they are the
 * old constants. The RefreshTokenRotator's 30-day ceiling still bounds a family.
 */
import { SETTINGS_KV_KEY, systemSettingsLayer } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { introspectToken } from "../src/introspect_token.ts"
import { configuredLifetimes, refreshFamilyTtlMs } from "../src/token_lifetimes.ts"
import { exchangeInput, grantInput, issuer, ManualClock, run } from "./token_fixtures.ts"

const storeSettings = (settings: Record<string, unknown>) =>
  env.SETTINGS!.put(SETTINGS_KV_KEY, JSON.stringify({ version: 1, updatedAt: 1, updatedBy: "admin", settings }))

afterEach(() => env.SETTINGS!.delete(SETTINGS_KV_KEY))

const payloadOf = (jwt: string): Record<string, number> => JSON.parse(atob(jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")))

describe("Token lifetimes from SETTINGS", () => {
  it("without a settings document: 1 h access and ID tokens, 30-day families (the old constants)", async () => {
    const lifetimes = await Effect.runPromise(Effect.provide(configuredLifetimes, systemSettingsLayer(env.SETTINGS!, "development", "tokens")))
    expect(lifetimes).toEqual({ accessTokenTtlMs: 3_600_000, idTokenTtlMs: 3_600_000, refreshFamilyTtlMs })
  })

  it("a stored document sets expires_in, the ID token's exp and the refresh family's expiry of the next grant", async () => {
    await storeSettings({ accessTokenLifetimeSeconds: 600, idTokenLifetimeSeconds: 120, refreshTokenLifetimeSeconds: 7_200 })
    const layer = systemSettingsLayer(env.SETTINGS!, "development", "tokens")
    const clock = new ManualClock()
    const { code } = await run(Effect.provide(createAuthorizationCode(grantInput({ userId: `u-${crypto.randomUUID()}` })), layer), clock)
    const set = await run(Effect.provide(exchangeAuthorizationCode(exchangeInput(code)), layer), clock)
    expect(set.expires_in).toBe(600)
    const id = payloadOf(set.id_token!)
    expect(id.exp! - id.iat!).toBe(120)
    const family = await run(introspectToken({ issuer, token: set.refresh_token!, tokenTypeHint: "refresh_token", clientId: "client-a" }), clock)
    expect(family).toMatchObject({ active: true })
    expect((family as { exp: number }).exp - id.iat!).toBe(7_200)
  })

  it("a refresh lifetime above the rotator's 30-day ceiling is held to the ceiling", async () => {
    await storeSettings({ refreshTokenLifetimeSeconds: 365 * 24 * 3_600 })
    const lifetimes = await Effect.runPromise(Effect.provide(configuredLifetimes, systemSettingsLayer(env.SETTINGS!, "development", "tokens")))
    expect(lifetimes.refreshFamilyTtlMs).toBe(refreshFamilyTtlMs)
  })
})
