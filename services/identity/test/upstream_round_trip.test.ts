import { sha256Hex } from "@authrim/platform"
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { upsertIdentityProvider, listUpstreamProviders } from "../src/upstream/identity_providers.ts"
import { finishUpstreamSignIn } from "../src/upstream/finish_upstream_sign_in.ts"
import { saveRoundTrip } from "../src/upstream/upstream_round_trip.ts"
import { Effect } from "effect"
import { makeUpstreamHarness } from "./upstream_harness.ts"

const h = makeUpstreamHarness()

/** Stores a round trip as `beginUpstreamSignIn` would, for browser cookie `binding`. */
const pending = async (state: string, binding: string) => {
  const stateHash = await Effect.runPromise(sha256Hex(state))
  await h.run(saveRoundTrip(stateHash, {
    providerId: "none", loginTx: "tx-1", redirectUri: "https://authrim.test/login/upstream/callback",
    codeVerifier: "v", nonceHash: await Effect.runPromise(sha256Hex(`nonce-${state}`)),
    browserHash: await Effect.runPromise(sha256Hex(binding)), createdAt: 0
  }))
  return stateHash
}

const callback = (state: string | null, browserBinding: string | null, extra: { error?: string } = {}) =>
  finishUpstreamSignIn({ state, code: "code", error: extra.error ?? null, errorDescription: null, browserBinding })

describe("Upstream state — STATE_STORE, 600 s, single use, bound to the browser", () => {
  it("stores state and nonce under their hashes with a 600 s TTL", async () => {
    const stateHash = await pending("state-ttl", "cookie")
    const state = await env.STATE_STORE.getWithMetadata(`upstream-state:${stateHash}`)
    expect(state.value).not.toContain("state-ttl")
    const nonceHash = await Effect.runPromise(sha256Hex("nonce-state-ttl"))
    expect(await env.NONCE_STORE.get(`upstream-nonce:${nonceHash}`)).toBe(stateHash)
    const listed = await env.STATE_STORE.list({ prefix: `upstream-state:${stateHash}` })
    const expiration = listed.keys[0]?.expiration ?? 0
    expect(expiration - Date.now() / 1000).toBeGreaterThan(590)
    expect(expiration - Date.now() / 1000).toBeLessThanOrEqual(600)
  })

  it("rejects an unknown, absent or tampered state", async () => {
    await pending("state-good", "cookie")
    for (const state of [null, "", "state-goo", "state-goodx"]) {
      expect(await h.fail(callback(state, "cookie"))).toMatchObject({ code: "invalid_request" })
    }
  })

  it("rejects the state in another browser, and the state is then gone", async () => {
    await pending("state-browser", "cookie-a")
    expect(await h.fail(callback("state-browser", "cookie-b"))).toMatchObject({ code: "invalid_request" })
    expect(await h.fail(callback("state-browser", "cookie-a"))).toMatchObject({ code: "invalid_request" })
  })

  it("reports the upstream's error=access_denied once, then the state is used", async () => {
    await pending("state-denied", "cookie")
    const denied = await h.fail(callback("state-denied", "cookie", { error: "access_denied" }))
    expect(denied).toMatchObject({ code: "access_denied" })
    expect(await h.fail(callback("state-denied", "cookie"))).toMatchObject({ code: "invalid_request" })
  })
})

describe("Identity providers — admin upsert and the login page list", () => {
  it("lists enabled providers only, never with the secret, and validates configs", async () => {
    const id = `p-${crypto.randomUUID().slice(0, 8)}`
    await h.run(upsertIdentityProvider({ id, providerType: "oidc", name: "Zz Enabled", issuer: "https://idp.example/", clientId: "c", clientSecret: "s3cret" }))
    await h.run(upsertIdentityProvider({ id: `${id}-off`, providerType: "oidc", name: "Zz Disabled", issuer: "https://idp.example", clientId: "c", enabled: false }))
    const { providers } = await h.run(listUpstreamProviders)
    expect(providers).toContainEqual({ id, name: "Zz Enabled", providerType: "oidc", enabled: true })
    expect(providers.some((p) => p.id === `${id}-off`)).toBe(false)
    expect(JSON.stringify(providers)).not.toContain("s3cret")
    const row = await env.DB.prepare("SELECT config_json FROM identity_providers WHERE id = ?").bind(id).first<{ config_json: string }>()
    expect(JSON.parse(row!.config_json)).toMatchObject({ issuer: "https://idp.example", client_id: "c" })
    expect(await h.fail(upsertIdentityProvider({ id: "x", providerType: "oidc", name: "No issuer", clientId: "c" }))).toMatchObject({ code: "invalid_request" })
    expect(await h.fail(upsertIdentityProvider({ id: "y", providerType: "oauth2", name: "No endpoints", clientId: "c" }))).toMatchObject({ code: "invalid_request" })
  })
})
