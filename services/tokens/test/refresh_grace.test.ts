/**
 * Issue 14: the refresh reuse grace window — the setting's bounded parse, the
 * successor secret (fail closed in production), and the rotator's decisions on
 * a rotated-out token (replay or reuse), on the real Durable Object.
 */
import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { refreshGraceMsFrom, refreshGraceOf, successorSecret, successorToken } from "../src/refresh_grace.ts"
import type { IssuedAccess } from "../src/refresh_token_rotator.ts"
import { refreshShardName } from "../src/shard_routing.ts"
import { familyIdOf, newFamilyId } from "../src/token_format.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, failureOf, issuer, ManualClock, refreshInput, run, signIn } from "./token_fixtures.ts"

const GRACE = 10_000

describe("REFRESH_REUSE_GRACE_SECONDS — a bounded parse", () => {
  it("unset, blank or not a whole number: 10 s; 0: off; above 60: 60 s", () => {
    for (const value of [undefined, "", "  ", "abc", "-1", "1.5", "1e3", "0x10", "1234567"]) expect(refreshGraceMsFrom(value)).toBe(10_000)
    expect(refreshGraceMsFrom("0")).toBe(0)
    expect(refreshGraceMsFrom(" 5 ")).toBe(5_000)
    expect(refreshGraceMsFrom("60")).toBe(60_000)
    expect(refreshGraceMsFrom("600")).toBe(60_000)
  })
})

describe("REFRESH_SUCCESSOR_SECRET — required in production, a per-isolate fallback only in development", () => {
  it("production (or AUTHRIM_ENV unset) without it: refreshes are a configuration error naming it", async () => {
    for (const AUTHRIM_ENV of ["production", undefined]) {
      const failure = await Effect.runPromise(Effect.flip(successorSecret({ AUTHRIM_ENV, REFRESH_SUCCESSOR_SECRET: " " })))
      expect(failure).toMatchObject({ _tag: "Unavailable", service: "tokens" })
      expect(failure.reason).toContain("REFRESH_SUCCESSOR_SECRET")
      await expect(Effect.runPromise(Effect.flip(refreshGraceOf({ AUTHRIM_ENV }).successorKey))).resolves.toMatchObject({ _tag: "Unavailable" })
    }
  })

  it("configured: used as given (trimmed); development alone falls back to one random secret per isolate", () => {
    expect(Effect.runSync(successorSecret({ AUTHRIM_ENV: "production", REFRESH_SUCCESSOR_SECRET: " s3cret " }))).toBe("s3cret")
    const first = Effect.runSync(successorSecret({ AUTHRIM_ENV: "development" }))
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Effect.runSync(successorSecret({ AUTHRIM_ENV: "development", REFRESH_SUCCESSOR_SECRET: "" }))).toBe(first)
  })

  it("the successor is a function of the presented token and the secret: same input, same successor; a well-formed refresh token", async () => {
    const key = (secret: string) => Effect.runPromise(refreshGraceOf({ AUTHRIM_ENV: "production", REFRESH_SUCCESSOR_SECRET: secret }).successorKey)
    const familyId = newFamilyId()
    const presented = `rt_${familyId}.${"a".repeat(43)}`
    const a = await Effect.runPromise(successorToken(await key("secret-one"), familyId, presented))
    expect(await Effect.runPromise(successorToken(await key("secret-one"), familyId, presented))).toBe(a)
    expect(familyIdOf(a)).toBe(familyId)
    expect(await Effect.runPromise(successorToken(await key("secret-two"), familyId, presented))).not.toBe(a)
    expect(await Effect.runPromise(successorToken(await key("secret-one"), familyId, `rt_${familyId}.${"b".repeat(43)}`))).not.toBe(a)
  })
})

/** A family created straight in its rotator (hashes are opaque strings to it), rotated once h0 → h1 at t0. */
const rotatedFamily = async (options: { readonly dpopJkt?: string } = {}) => {
  const familyId = newFamilyId()
  const stub = env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName(refreshShardName("client-a", familyId)))
  const t0 = Date.now()
  let jti = 0
  const access = (now: number): IssuedAccess => ({ jti: `${familyId}-${jti++}`, expiresAt: now + 3_600_000 })
  await stub.create({
    familyId, tokenHash: "h0", clientId: "client-a", userId: "user-1", scope: "openid profile", authTime: t0, sid: null,
    amr: ["pwd"], acr: null, now: t0, access: access(t0), ...options
  })
  const rotate = (presentedHash: string, newHash: string, now: number, extra: { readonly clientId?: string; readonly requestedScope?: ReadonlyArray<string>; readonly dpopJkt?: string; readonly graceMs?: number } = {}) =>
    stub.rotate({
      familyId, presentedHash, newHash, clientId: extra.clientId ?? "client-a", requestedScope: extra.requestedScope ?? null, now,
      access: access(now), graceMs: extra.graceMs ?? GRACE, ...(extra.dpopJkt === undefined ? options : { dpopJkt: extra.dpopJkt })
    })
  expect(await rotate("h0", "h1", t0)).toMatchObject({ _tag: "rotated" })
  return { familyId, stub, t0, rotate }
}

describe("RefreshTokenRotator — a rotated-out token: replay inside the window, reuse outside", () => {
  it("the last rotated-out token inside the window replays: same successor kept current, the access token recorded, no rotation", async () => {
    const { familyId, stub, t0, rotate } = await rotatedFamily()
    expect(await rotate("h0", "h1", t0 + 1)).toMatchObject({ _tag: "replayed", scope: "openid profile", family: { familyId, lastRotation: t0 } })
    expect(await rotate("h0", "h1", t0 + GRACE - 1)).toMatchObject({ _tag: "replayed" })
    expect(await stub.describe(familyId)).toEqual({ rotationCount: 1, previousCount: 1, revoked: false })
    expect(await stub.graceReplays(familyId)).toBe(2)
    // The successor is still current: it rotates.
    expect(await rotate("h1", "h2", t0 + 2)).toMatchObject({ _tag: "rotated" })
    // Revoking the family returns the replays' access tokens too (the family access list).
    const revoked = await stub.revoke({ familyId, clientId: "client-a", presentedHash: null, reason: "test", now: t0 + 3, tombstone: false })
    expect(revoked.map((a) => a.jti).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${familyId}-${i}`).sort())
  })

  it("at the end of the window (and after) it is reuse: the family is revoked, successor included", async () => {
    const { familyId, stub, t0, rotate } = await rotatedFamily()
    const outcome = await rotate("h0", "h1", t0 + GRACE)
    expect(outcome._tag).toBe("reused")
    expect(outcome._tag === "reused" ? outcome.revokedAccess : []).toHaveLength(2)
    expect(await stub.describe(familyId)).toMatchObject({ revoked: true })
    expect(await rotate("h1", "h2", t0 + GRACE + 1)).toEqual({ _tag: "rejected", code: "invalid_grant", reason: "refresh token revoked" })
  })

  it("window off (graceMs 0): a rotated-out token is reuse at once", async () => {
    const { familyId, stub, t0, rotate } = await rotatedFamily()
    expect(await rotate("h0", "h1", t0 + 1, { graceMs: 0 })).toMatchObject({ _tag: "reused" })
    expect(await stub.describe(familyId)).toMatchObject({ revoked: true })
  })

  it("after the successor was used, the older token is reuse even inside the window", async () => {
    const { familyId, stub, t0, rotate } = await rotatedFamily()
    expect(await rotate("h1", "h2", t0 + 1)).toMatchObject({ _tag: "rotated" })
    expect(await rotate("h0", "h1", t0 + 2)).toMatchObject({ _tag: "reused" })
    expect(await stub.describe(familyId)).toMatchObject({ revoked: true })
  })

  it("the token the last rotation rotated out replays that rotation (and only that one)", async () => {
    const { t0, rotate } = await rotatedFamily()
    expect(await rotate("h1", "h2", t0 + 1)).toMatchObject({ _tag: "rotated" })
    expect(await rotate("h1", "h2", t0 + 2)).toMatchObject({ _tag: "replayed" })
  })

  it("a successor the caller cannot reproduce (another secret, or a rotation from before the window) is reuse", async () => {
    const { familyId, stub, t0, rotate } = await rotatedFamily()
    expect(await rotate("h0", "h-other", t0 + 1)).toMatchObject({ _tag: "reused" })
    expect(await stub.describe(familyId)).toMatchObject({ revoked: true })
  })

  it("a replay obeys the original request's rules without revoking: scope not widened, same client, same DPoP key", async () => {
    const { familyId, stub, t0, rotate } = await rotatedFamily({ dpopJkt: "jkt-1" })
    expect(await rotate("h0", "h1", t0 + 1, { requestedScope: ["openid", "admin"] })).toMatchObject({ _tag: "rejected", code: "invalid_scope" })
    expect(await rotate("h0", "h1", t0 + 1, { clientId: "client-b" })).toMatchObject({ _tag: "rejected", code: "invalid_grant" })
    expect(await rotate("h0", "h1", t0 + 1, { dpopJkt: "jkt-2" })).toMatchObject({ _tag: "rejected", code: "invalid_grant" })
    expect(await stub.describe(familyId)).toMatchObject({ revoked: false })
    expect(await stub.graceReplays(familyId)).toBe(0)
    // Narrowing is allowed on a replay, as on a rotation.
    expect(await rotate("h0", "h1", t0 + 2, { requestedScope: ["openid"] })).toMatchObject({ _tag: "replayed", scope: "openid" })
  })
})

describe("refresh_token grant with the window — the same successor, fresh access tokens", () => {
  it("the previous token inside the window returns the same successor; after it, the family is revoked and every token dies", async () => {
    const clock = new ManualClock()
    const first = await signIn(clock)
    const token = first.refresh_token ?? ""
    const rotated = await run(refreshTokens(refreshInput(token)), clock)
    clock.advance(GRACE - 1)
    const replayed = await run(refreshTokens(refreshInput(token, { scope: "openid" })), clock)
    expect(replayed.refresh_token).toBe(rotated.refresh_token)
    expect(replayed.access_token).not.toBe(rotated.access_token)
    expect(replayed.scope).toBe("openid")
    // A widening replay is invalid_scope and does not revoke.
    expect(codeOf(await failureOf(refreshTokens(refreshInput(token, { scope: "openid admin" })), clock))).toBe("invalid_scope")
    clock.advance(1)
    expect(codeOf(await failureOf(refreshTokens(refreshInput(token)), clock))).toBe("invalid_grant")
    expect(codeOf(await failureOf(refreshTokens(refreshInput(rotated.refresh_token ?? "")), clock))).toBe("invalid_grant")
    for (const access of [first.access_token, rotated.access_token, replayed.access_token]) {
      expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: access }), clock))).toBe("invalid_token")
    }
    expect(familyIdOf(replayed.refresh_token ?? "")).toBe(familyIdOf(token))
  })
})
