import { IdentityContract, InvalidCredentials, makeClient, type IdentityRpc } from "@authrim/contracts"
import { exports } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { unique } from "./identity_harness.ts"

/**
 * The edge's view: the real `IdentityForEdge` entrypoint (and `IdentitySeed` for the upserts) behind the typed RPC client.
 * The methods are called directly on the stub because `makeClient` currently
 * invokes `method.call(binding, …)`, and on a Workers RPC stub `.call` is itself
 * an RPC property ("Could not serialize LoopbackServiceStub"). Reported to the lead.
 */
const stub = exports.IdentityForEdge
/** The upserts are `IdentitySeed`'s (scripts/seed), not the edge's. */
const seed = exports.IdentitySeed
const binding: IdentityRpc = {
  getClient: (i) => stub.getClient(i),
  authenticateClient: (i) => stub.authenticateClient(i),
  upsertClient: (i) => seed.upsertClient(i),
  upsertUser: (i) => seed.upsertUser(i),
  authenticatePassword: (i) => stub.authenticatePassword(i),
  getUser: (i) => stub.getUser(i),
  getUserClaims: (i) => stub.getUserClaims(i),
  getConsent: (i) => stub.getConsent(i),
  grantConsent: (i) => stub.grantConsent(i),
  createChallenge: (i) => stub.createChallenge(i),
  peekChallenge: (i) => stub.peekChallenge(i),
  consumeChallenge: (i) => stub.consumeChallenge(i),
  finishTransaction: (i) => stub.finishTransaction(i)
}
const identity = makeClient("identity", IdentityContract, binding)

describe("IdentityForEdge over RPC (contract envelope)", () => {
  it("sign-in round trip: upsert user, authenticate, claims", async () => {
    const email = `${unique("rpc")}@example.com`
    const user = await Effect.runPromise(identity.upsertUser({ email, password: "pw-rpc-1234", name: "R", emailVerified: true }))
    expect(await Effect.runPromise(identity.authenticatePassword({ email, password: "pw-rpc-1234" }))).toEqual({ ...user, totpEnabled: false })
    const wrong = await Effect.runPromise(Effect.flip(identity.authenticatePassword({ email, password: "nope" })))
    expect(wrong).toBeInstanceOf(InvalidCredentials)
    expect(await Effect.runPromise(identity.getUserClaims({ userId: user.id, scopes: ["openid", "email"] })))
      .toEqual({ sub: user.id, email, email_verified: true })
  })

  it("client round trip: upsert, get, authenticate; failures arrive as typed errors", async () => {
    const clientId = unique("rpc-client")
    await Effect.runPromise(identity.upsertClient({ clientId, clientSecret: "rpc-secret-0123456789abcdef0123456789", redirectUris: ["https://rp.example/cb"] }))
    expect(await Effect.runPromise(identity.getClient({ clientId }))).toMatchObject({ clientId, isPublic: false })
    const error = await Effect.runPromise(Effect.flip(identity.authenticateClient({ clientId, method: "client_secret_post", clientSecret: "rpc-secret-0123456789abcdef0123456789" })))
    expect(error).toMatchObject({ _tag: "OAuthError", code: "invalid_client" })
  })

  it("challenge round trip keeps metadata intact and is single use", async () => {
    const metadata = { redirectUri: "https://rp.example/cb", scopes: ["openid"], maxAge: null }
    const created = await Effect.runPromise(identity.createChallenge({ type: "login", userId: null, metadata }))
    expect((await Effect.runPromise(identity.consumeChallenge({ id: created.id, type: "login" }))).metadata).toEqual(metadata)
    const again = await Effect.runPromise(Effect.flip(identity.consumeChallenge({ id: created.id, type: "login" })))
    expect(again).toMatchObject({ _tag: "NotFound" })
  })
})
