/**
 * A disabled account (issue 12) signing in through an upstream identity
 * provider: the upstream proved who this is, so the answer says the account is
 * disabled (`access_denied`); enabled again, the same upstream account signs
 * in. An oauth2 provider answered by an in-test `fetch` (token + userinfo).
 */
import type { AuditTrail } from "@authrim/audit-trail"
import { collectingAuditTrail } from "@authrim/audit-trail/testing"
import { sha256Hex } from "@authrim/platform"
import { env } from "cloudflare:test"
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { finishUpstreamSignIn } from "../src/upstream/finish_upstream_sign_in.ts"
import { upsertIdentityProvider } from "../src/upstream/identity_providers.ts"
import { ProviderListCache } from "../src/upstream/provider_list_cache.ts"
import { UpstreamBindings } from "../src/upstream/upstream_bindings.ts"
import { UpstreamMetadataCache } from "../src/upstream/upstream_metadata_cache.ts"
import { saveRoundTrip } from "../src/upstream/upstream_round_trip.ts"
import { setUserDisabled } from "../src/users/user_admin_update.ts"
import { ACCOUNT_DISABLED_DESCRIPTION } from "../src/users/user_disabled.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const IDP = "https://idp.example"

/** The provider's token and userinfo endpoints, for one upstream account. */
const fakeIdp = (subject: string, email: string) => async (input: RequestInfo | URL) => {
  const url = new URL(input instanceof Request ? input.url : String(input))
  if (url.pathname === "/token") return Response.json({ access_token: "upstream-at", token_type: "Bearer" })
  if (url.pathname === "/userinfo") return Response.json({ sub: subject, email, email_verified: true, name: "Upstream Person" })
  return new Response("not found", { status: 404 })
}

const upstream = (fetch: typeof globalThis.fetch) => {
  const audit = collectingAuditTrail()
  const bindings = { db: env.DB, stateKv: env.STATE_STORE, nonceKv: env.NONCE_STORE, providers: new ProviderListCache(), metadata: new UpstreamMetadataCache(), fetch }
  return <A, E>(program: Effect.Effect<A, E, UpstreamBindings | AuditTrail>) =>
    Effect.runPromiseExit(Effect.provideService(Effect.provide(program, audit.layer), UpstreamBindings, bindings))
}

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
  const reason = exit.cause.reasons.find(Cause.isFailReason)
  if (reason === undefined) throw Cause.squash(exit.cause)
  return reason.error
}

describe("upstream sign-in of a disabled account", () => {
  it("is refused with the disabled message; enabled, the same upstream account signs in", async () => {
    const h = makeHarness()
    const providerId = unique("idp")
    const subject = unique("sub")
    const email = `${unique("up")}@example.com`
    const run = upstream(fakeIdp(subject, email) as typeof globalThis.fetch)
    const provider = await run(upsertIdentityProvider({
      id: providerId, providerType: "oauth2", name: "Fake", clientId: "c", clientSecret: "s",
      authorizationEndpoint: `${IDP}/authorize`, tokenEndpoint: `${IDP}/token`, userinfoEndpoint: `${IDP}/userinfo`
    }))
    expect(Exit.isSuccess(provider)).toBe(true)
    const signInOnce = async () => {
      const state = unique("state")
      await run(saveRoundTrip(await Effect.runPromise(sha256Hex(state)), {
        providerId, loginTx: "tx-1", redirectUri: "https://op.test/login/upstream/callback", codeVerifier: "v",
        nonceHash: await Effect.runPromise(sha256Hex(`nonce-${state}`)), browserHash: await Effect.runPromise(sha256Hex("cookie")), createdAt: 0
      }))
      return run(finishUpstreamSignIn({ state, code: "code", error: null, errorDescription: null, browserBinding: "cookie" }))
    }
    const first = await signInOnce()
    if (!Exit.isSuccess(first)) throw Cause.squash(first.cause)
    expect(first.value.resolution).toBe("created")
    const userId = first.value.userId

    await h.run(setUserDisabled({ adminUserId: "admin", userId, disabled: true }))
    expect(failureOf(await signInOnce())).toMatchObject({ _tag: "OAuthError", code: "access_denied", description: ACCOUNT_DISABLED_DESCRIPTION })

    await h.run(setUserDisabled({ adminUserId: "admin", userId, disabled: false }))
    const again = await signInOnce()
    expect(Exit.isSuccess(again) && again.value.userId).toBe(userId)
  })
})
