/**
 * Issue 14: pairwise subject identifiers (OIDC Core §8.1) — the one HMAC
 * (deterministic, separated by sector and by user, bound to the secret), the
 * sealed real user (`authrim_user`), and the secret: required in production,
 * a per-isolate fallback only in development.
 */
import { base64url } from "@authrim/platform"
import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import {
  openUser, pairwiseKeysOf, pairwiseSecret, pairwiseSubject, pairwiseSubjectsOf, sealUser, subjectClaims
} from "../src/pairwise/pairwise_subject.ts"
import type { BackchannelMessage } from "../src/logout/backchannel_message.ts"
import { logoutTokenClaims } from "../src/logout/logout_token.ts"
import { BackchannelQueue, queueBackchannelLogout } from "../src/logout/queue_backchannel_logout.ts"
import { TokenStores } from "../src/token_stores.ts"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { introspectToken } from "../src/introspect_token.ts"
import { verifyIdTokenHint } from "../src/logout/verify_id_token_hint.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { exchangeInput, grantInput, issuer, ManualClock, refreshInput, run } from "./token_fixtures.ts"

const keysOf = (secret: string) => Effect.runPromise(pairwiseKeysOf(secret))
const subjectOf = async (secret: string, sector: string, userId: string) => Effect.runPromise(pairwiseSubject(await keysOf(secret), sector, userId))

/** The HMAC computed independently of the module: base64url(HMAC-SHA256(secret, sector "\n" userId)). */
const expected = async (secret: string, sector: string, userId: string) => {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
  return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${sector}\n${userId}`))))
}

describe("pairwiseSubject — base64url(HMAC-SHA256(secret, sector + \"\\n\" + userId))", () => {
  it("is that HMAC, deterministic: the same sub for one user and sector every time", async () => {
    const first = await subjectOf("s3cret", "rp.example", "user-1")
    expect(first).toBe(await expected("s3cret", "rp.example", "user-1"))
    expect(await subjectOf("s3cret", "rp.example", "user-1")).toBe(first)
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(first).not.toContain("user-1")
  })

  it("is separated by sector, by user and by secret", async () => {
    const base = await subjectOf("s3cret", "rp.example", "user-1")
    expect(await subjectOf("s3cret", "other.example", "user-1")).not.toBe(base)
    expect(await subjectOf("s3cret", "rp.example", "user-2")).not.toBe(base)
    expect(await subjectOf("another", "rp.example", "user-1")).not.toBe(base)
    // The separator keeps sector/user boundaries: "a" + "b\nc" is not "a\nb" + "c".
    expect(await subjectOf("s3cret", "a", "b\nc")).toBe(await expected("s3cret", "a", "b\nc"))
  })
})

describe("authrim_user — the sealed real user", () => {
  it("opens to the user id under the same secret; every seal differs (random IV)", async () => {
    const keys = await keysOf("s3cret")
    const one = await Effect.runPromise(sealUser(keys, "user-1"))
    const two = await Effect.runPromise(sealUser(keys, "user-1"))
    expect(one).not.toBe(two)
    expect(one).not.toContain("user-1")
    expect(await Effect.runPromise(openUser(keys, one))).toBe("user-1")
    expect(await Effect.runPromise(openUser(keys, two))).toBe("user-1")
  })

  it("a seal of another secret, a tampered or a garbage one opens to null", async () => {
    const keys = await keysOf("s3cret")
    const sealed = await Effect.runPromise(sealUser(await keysOf("another"), "user-1"))
    expect(await Effect.runPromise(openUser(keys, sealed))).toBeNull()
    const mine = await Effect.runPromise(sealUser(keys, "user-1"))
    const tampered = `${mine.slice(0, 20)}${mine[20] === "A" ? "B" : "A"}${mine.slice(21)}`
    expect(await Effect.runPromise(openUser(keys, tampered))).toBeNull()
    for (const garbage of ["", "x", "!!!!", "AAAA"]) expect(await Effect.runPromise(openUser(keys, garbage))).toBeNull()
  })

  it("subjectClaims: a public client gets the user id and no seal (no secret needed); a pairwise one both", async () => {
    const missing = pairwiseSubjectsOf({ AUTHRIM_ENV: "production" })
    expect(await Effect.runPromise(subjectClaims(missing, "user-1", undefined))).toEqual({ sub: "user-1" })
    const configured = pairwiseSubjectsOf({ AUTHRIM_ENV: "production", PAIRWISE_SUBJECT_SECRET: "s3cret" })
    const claims = await Effect.runPromise(subjectClaims(configured, "user-1", "rp.example"))
    expect(claims.sub).toBe(await expected("s3cret", "rp.example", "user-1"))
    expect(await Effect.runPromise(openUser(await keysOf("s3cret"), claims.authrim_user!))).toBe("user-1")
  })
})

describe("PAIRWISE_SUBJECT_SECRET — required in production, a per-isolate fallback only in development", () => {
  it("production (or AUTHRIM_ENV unset) without it: pairwise issuance is a configuration error naming it", async () => {
    for (const AUTHRIM_ENV of ["production", undefined]) {
      const failure = await Effect.runPromise(Effect.flip(pairwiseSecret({ AUTHRIM_ENV, PAIRWISE_SUBJECT_SECRET: " " })))
      expect(failure._tag).toBe("Unavailable")
      expect(failure.reason).toContain("PAIRWISE_SUBJECT_SECRET")
      const issuance = await Effect.runPromise(Effect.flip(subjectClaims(pairwiseSubjectsOf({ AUTHRIM_ENV }), "user-1", "rp.example")))
      expect(issuance.reason).toContain("PAIRWISE_SUBJECT_SECRET")
    }
  })

  it("configured: used (trimmed); development without it: one random secret for the isolate", async () => {
    expect(Effect.runSync(pairwiseSecret({ AUTHRIM_ENV: "production", PAIRWISE_SUBJECT_SECRET: " s3cret " }))).toBe("s3cret")
    const first = Effect.runSync(pairwiseSecret({ AUTHRIM_ENV: "development" }))
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Effect.runSync(pairwiseSecret({ AUTHRIM_ENV: "development", PAIRWISE_SUBJECT_SECRET: "" }))).toBe(first)
  })
})

describe("Back-channel logout — a pairwise RP is told its own sub", () => {
  it("each delivery's message (and so its logout token) names the sub of that RP's sector; a public RP the user id", async () => {
    const sent: Array<BackchannelMessage> = []
    const metadata = { metrics: { backlogCount: 0, backlogBytes: 0 } }
    const queue: Queue<BackchannelMessage> = {
      metrics: async () => ({ backlogCount: 0, backlogBytes: 0 }),
      send: async (body) => {
        sent.push(body)
        return { metadata }
      },
      sendBatch: async (batch) => {
        sent.push(...[...batch].map((m) => m.body))
        return { metadata }
      }
    }
    const stores = TokenStores.fromEnv(env)
    await Effect.runPromise(queueBackchannelLogout({
      issuer: "https://op.test", sub: "user-1", sid: "s07_AAAAAAAAAAAAAAAAAAAAAA",
      deliveries: [
        { clientId: "pw", uri: "https://rp.example/bc", alg: "RS256", pairwiseSector: "rp.example" },
        { clientId: "pub", uri: "https://other.example/bc", alg: "RS256" }
      ]
    }).pipe(
      Effect.provideService(BackchannelQueue, queue),
      Effect.provideService(TokenStores, stores)
    ))
    const expectedSub = (await Effect.runPromise(subjectClaims(stores.pairwise, "user-1", "rp.example"))).sub
    expect(sent.map((m) => [m.clientId, m.sub])).toEqual([["pw", expectedSub], ["pub", "user-1"]])
    expect(expectedSub).not.toBe("user-1")
    expect(logoutTokenClaims(sent[0]!, Date.now(), "jti-1")).toMatchObject({ aud: "pw", sub: expectedSub, sid: "s07_AAAAAAAAAAAAAAAAAAAAAA" })
  })
})

const payloadOf = (jwt: string): Record<string, unknown> => JSON.parse(atob(jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")))

describe("Issuance with pairwiseSector — code, refresh, verification, introspection, id_token_hint", () => {
  it("every token and answer names the pairwise sub; verifyAccessToken and the hint give the real user back", async () => {
    const clock = new ManualClock()
    const clientId = `pw-${crypto.randomUUID().slice(0, 8)}`
    const { code } = await run(createAuthorizationCode(grantInput({ clientId })), clock)
    const tokens = await run(exchangeAuthorizationCode(exchangeInput(code, { clientId, pairwiseSector: "rp.example" })), clock)
    const expectedSub = (await Effect.runPromise(subjectClaims(TokenStores.fromEnv(env).pairwise, "user-1", "rp.example"))).sub
    const access = payloadOf(tokens.access_token)
    expect(access["sub"]).toBe(expectedSub)
    expect(payloadOf(tokens.id_token!)["sub"]).toBe(expectedSub)
    expect(typeof access["authrim_user"]).toBe("string")
    // One seal per issuance, in both tokens (the id_token_hint is opened from the ID token's).
    expect(payloadOf(tokens.id_token!)["authrim_user"]).toBe(access["authrim_user"])

    const verified = await run(verifyAccessToken({ issuer, token: tokens.access_token }), clock)
    expect(verified).toMatchObject({ sub: expectedSub, userId: "user-1" })
    const hint = await run(verifyIdTokenHint({ issuer, idToken: tokens.id_token! }), clock)
    expect(hint).toMatchObject({ sub: expectedSub, userId: "user-1", clientId })

    const refresh = await run(introspectToken({ issuer, token: tokens.refresh_token!, tokenTypeHint: null, clientId, pairwiseSector: "rp.example" }), clock)
    expect(refresh).toMatchObject({ active: true, sub: expectedSub })
    const refreshed = await run(refreshTokens(refreshInput(tokens.refresh_token!, { clientId, pairwiseSector: "rp.example" })), clock)
    expect(payloadOf(refreshed.access_token)["sub"]).toBe(expectedSub)
    expect(payloadOf(refreshed.id_token!)["sub"]).toBe(expectedSub)
  })

  it("without pairwiseSector nothing changes: sub is the user id, no authrim_user, no userId", async () => {
    const clock = new ManualClock()
    const { code } = await run(createAuthorizationCode(grantInput()), clock)
    const tokens = await run(exchangeAuthorizationCode(exchangeInput(code)), clock)
    expect(payloadOf(tokens.access_token)).toMatchObject({ sub: "user-1" })
    expect(payloadOf(tokens.access_token)).not.toHaveProperty("authrim_user")
    expect(payloadOf(tokens.id_token!)).not.toHaveProperty("authrim_user")
    const verified = await run(verifyAccessToken({ issuer, token: tokens.access_token }), clock)
    expect(verified).not.toHaveProperty("userId")
    expect(await run(verifyIdTokenHint({ issuer, idToken: tokens.id_token! }), clock)).not.toHaveProperty("userId")
  })
})
