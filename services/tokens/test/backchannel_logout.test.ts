/**
 * OIDC Back-Channel Logout 1.0 (tokens side): the logout token's shape and
 * signature, the queue consumer's delivery, retry with backoff and give-up,
 * and `id_token_hint` verification for RP-Initiated Logout 1.0 §2.
 */
import { makeClient, TokensLogoutContract, type TokenKind } from "@authrim/contracts"
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test"
import { env, exports } from "cloudflare:workers"
import { Effect } from "effect"
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import type { BackchannelMessage } from "../src/logout/backchannel_message.ts"
import { BackchannelDelivery, deliverBackchannelBatch, MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from "../src/logout/deliver_backchannel.ts"
import { BACKCHANNEL_LOGOUT_EVENT } from "../src/logout/logout_token.ts"
import { issuer } from "./token_fixtures.ts"
import { keysForTokens } from "../src/token_stores.ts"

const keys = makeClient("keys", keysForTokens, env.KEYS)
const tokens = makeClient("tokens", TokensLogoutContract, exports.TokensForEdge)

const message = (overrides: Partial<BackchannelMessage> = {}): BackchannelMessage => ({
  clientId: "rp-1", uri: "https://rp.example/backchannel", alg: "RS256", issuer, sub: "user-1", sid: "s07_AAAAAAAAAAAAAAAAAAAAAA", ...overrides
})

/** An RP endpoint that answers each POST with the next status, recording what it got. */
const recordingRp = (statuses: ReadonlyArray<number>) => {
  const received: Array<{ uri: string; body: URLSearchParams }> = []
  const post = async (uri: string, body: URLSearchParams) => {
    received.push({ uri, body })
    return statuses[Math.min(received.length - 1, statuses.length - 1)]!
  }
  return { received, deps: { keys, post, retryBaseSeconds: 5 } }
}

const runBatch = async (deps: BackchannelDelivery["Service"], body: unknown, attempts: number) => {
  const batch = createMessageBatch("authrim-backchannel-logout", [{ id: "m1", timestamp: Date.now(), attempts, body }])
  const ctx = createExecutionContext()
  await Effect.runPromise(deliverBackchannelBatch(batch).pipe(Effect.provideService(BackchannelDelivery, deps)))
  return getQueueResult(batch, ctx)
}

const verifyWithJwks = async (token: string) => {
  const { keys: published } = await Effect.runPromise(keys.getJwks({}))
  return jwtVerify(token, createLocalJWKSet({ keys: published.map((k) => ({ ...k })) }), { issuer, audience: "rp-1", typ: "logout+jwt" })
}

describe("Logout token — Back-Channel Logout 1.0 §2.4", () => {
  it("is a signed logout+jwt with iss, aud, iat, exp ≤ 2 min, jti, sub, sid, the event, and no nonce", async () => {
    const rp = recordingRp([200])
    const result = await runBatch(rp.deps, message(), 1)
    expect(result.explicitAcks).toEqual(["m1"])
    expect(rp.received).toHaveLength(1)
    expect(rp.received[0]!.uri).toBe("https://rp.example/backchannel")
    const token = rp.received[0]!.body.get("logout_token")!
    expect([...rp.received[0]!.body.keys()]).toEqual(["logout_token"])
    const { payload, protectedHeader } = await verifyWithJwks(token)
    expect(protectedHeader.typ).toBe("logout+jwt")
    expect(payload).toMatchObject({ iss: issuer, aud: "rp-1", sub: "user-1", sid: "s07_AAAAAAAAAAAAAAAAAAAAAA", events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } })
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(120)
    expect(payload.jti).toMatch(/.{16,}/)
    expect(payload).not.toHaveProperty("nonce")
  })

  it("is signed with the client's ID-token algorithm", async () => {
    const rp = recordingRp([204])
    await runBatch(rp.deps, message({ alg: "ES256" }), 1)
    expect(decodeProtectedHeader(rp.received[0]!.body.get("logout_token")!).alg).toBe("ES256")
  })
})

describe("Delivery — Back-Channel Logout 1.0 §2.5, §2.8", () => {
  it("an RP error is retried with exponential backoff, and a fresh token is signed per attempt", async () => {
    const rp = recordingRp([500, 200])
    const first = await runBatch(rp.deps, message(), 1)
    expect(first.explicitAcks).toEqual([])
    // The plugin's batch records which messages were retried, not their delay; the delay schedule is checked below.
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(["m1"])
    const second = await runBatch(rp.deps, message(), 2)
    expect(second.explicitAcks).toEqual(["m1"])
    const [a, b] = rp.received.map((r) => r.body.get("logout_token")!)
    expect(a).not.toBe(b)
    expect([1, 2, 3, 4].map((attempts) => retryDelaySeconds(attempts, 5))).toEqual([5, 10, 20, 40])
    expect(retryDelaySeconds(40, 5)).toBe(600)
  })

  it("an unreachable RP is retried too", async () => {
    const deps = { keys, post: () => Promise.reject(new Error("connection refused")), retryBaseSeconds: 5 }
    const result = await runBatch(deps, message(), 2)
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m1"])
    expect(result.explicitAcks).toEqual([])
  })

  it("gives up (acks, logs) after the last attempt instead of retrying forever", async () => {
    const rp = recordingRp([503])
    const result = await runBatch(rp.deps, message(), MAX_DELIVERY_ATTEMPTS)
    expect(result.retryMessages).toEqual([])
    expect(result.explicitAcks).toEqual(["m1"])
  })

  it("drops a malformed message without calling anyone", async () => {
    const rp = recordingRp([200])
    const result = await runBatch(rp.deps, { clientId: 42 }, 1)
    expect(result.explicitAcks).toEqual(["m1"])
    expect(rp.received).toHaveLength(0)
  })

  it("queueBackchannelLogout enqueues one message per RP and returns at once", async () => {
    const { queued } = await Effect.runPromise(tokens.queueBackchannelLogout({ issuer, sub: "u", sid: "s01_AAAAAAAAAAAAAAAAAAAAAA", deliveries: [] }))
    expect(queued).toBe(0)
  })
})

/** Signs a token of `kind` (an ID token unless said) with the provider's keys. */
const signed = async (claims: Record<string, unknown>, kind: TokenKind = "id_token", alg: "RS256" | "ES256" = "RS256") =>
  (await Effect.runPromise(keys.signTokens({ tokens: [{ kind, alg, claims }] }))).signed[0]!.jwt

const now = () => Math.floor(Date.now() / 1000)

describe("id_token_hint — RP-Initiated Logout 1.0 §2", () => {
  it("accepts an ID token of this provider, even an expired one, and reports sub, client and sid", async () => {
    const live = await signed({ iss: issuer, sub: "user-9", aud: "rp-9", exp: now() + 600, iat: now(), sid: "s01_x" })
    expect(await Effect.runPromise(tokens.verifyIdTokenHint({ issuer, idToken: live })))
      .toEqual({ sub: "user-9", clientId: "rp-9", sid: "s01_x", expired: false })
    const expired = await signed({ iss: issuer, sub: "user-9", aud: "rp-9", exp: now() - 86_400, iat: now() - 90_000 }, "id_token", "ES256")
    expect(await Effect.runPromise(tokens.verifyIdTokenHint({ issuer, idToken: expired })))
      .toEqual({ sub: "user-9", clientId: "rp-9", sid: null, expired: true })
  })

  it("rejects another issuer, an access token, a tampered signature and garbage with invalid_request", async () => {
    const good = await signed({ iss: issuer, sub: "u", aud: "rp", iat: now(), exp: now() + 60 })
    const [h, p, s] = good.split(".")
    const tampered = `${h}.${btoa(JSON.stringify({ iss: issuer, sub: "admin", aud: "rp", exp: now() + 60 })).replace(/=+$/, "")}.${s}`
    const candidates = [
      // The keys of this project run in development without ISSUER: any http(s) issuer is signed (src/token_issuer.ts of keys).
      await signed({ iss: "https://evil.example", sub: "u", aud: "rp", iat: now(), exp: now() + 60 }),
      await signed({ iss: issuer, sub: "u", aud: "rp", iat: now(), exp: now() + 60, jti: "j", client_id: "rp" }, "access_token"),
      tampered,
      `${h}.${p}`,
      "not-a-jwt"
    ]
    for (const idToken of candidates) {
      const error = await Effect.runPromise(Effect.flip(tokens.verifyIdTokenHint({ issuer, idToken })))
      expect(error).toMatchObject({ _tag: "OAuthError", code: "invalid_request" })
    }
  })
})
