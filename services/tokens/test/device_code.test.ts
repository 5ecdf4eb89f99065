import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { createLocalJWKSet, jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import {
  deviceCodeShardOf, deviceShardCount, displayUserCode, newDeviceCode, newUserCode, normaliseUserCode, userCodeAlphabet,
  userCodeShardIndex, userCodeShardOf
} from "../src/device/device_code_format.ts"
import { decideDeviceCode, describeDeviceCode, pollDeviceCode, startDeviceAuthorization } from "../src/device/device_grant.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { decision, outcomeOf, pollInput, runDevice } from "./device_fixtures.ts"
import { issuer, keysJwks, ManualClock, refreshInput, run } from "./token_fixtures.ts"

/** Deterministic user codes (mulberry32), so the balance bounds never flake. */
const seededUserCodes = (seed: number, n: number): string[] => {
  let a = seed
  const next = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (t ^ (t >>> 14)) >>> 0
  }
  return Array.from({ length: n }, () => Array.from({ length: 8 }, () => userCodeAlphabet[next() % 20]).join(""))
}

const start = (clock: ManualClock, scope = "openid profile", clientId = "tv-client") =>
  runDevice(startDeviceAuthorization({ clientId, scope }), clock)

describe("user codes — RFC 8628 §6.1", () => {
  it("are 8 consonants shown as XXXX-XXXX, with no vowels, digits or look-alikes", () => {
    expect(userCodeAlphabet).not.toMatch(/[AEIOUY0-9]/)
    for (let i = 0; i < 500; i++) {
      const display = displayUserCode(newUserCode())
      expect(display).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/)
    }
  })

  it("are accepted in lower case, without the dash, or with spaces; anything else is not a code", () => {
    expect(normaliseUserCode("bcdf-ghjk")).toBe("BCDFGHJK")
    expect(normaliseUserCode("BCDFGHJK")).toBe("BCDFGHJK")
    expect(normaliseUserCode(" bcdf ghjk ")).toBe("BCDFGHJK")
    expect(normaliseUserCode("BCDF-GHJ")).toBeNull()
    expect(normaliseUserCode("ABCD-1234")).toBeNull()
  })

  it("use every letter of the alphabet about equally (no modulo bias)", () => {
    const counts = new Map<string, number>()
    for (let i = 0; i < 5_000; i++) for (const c of newUserCode()) counts.set(c, (counts.get(c) ?? 0) + 1)
    const mean = 40_000 / userCodeAlphabet.length
    expect(counts.size).toBe(userCodeAlphabet.length)
    for (const n of counts.values()) expect(Math.abs(n - mean) / mean).toBeLessThan(0.15)
  })
})

describe("DeviceCodeStore routing — shard derivable from both codes (DESIGN §2)", () => {
  it("the device code names the shard its user code hashes to, whatever way the code is typed", () => {
    for (let i = 0; i < 200; i++) {
      const userCode = newUserCode()
      const shard = deviceCodeShardOf(newDeviceCode(userCode))
      expect(shard).not.toBeNull()
      expect(userCodeShardOf(displayUserCode(userCode).toLowerCase())).toBe(shard)
      expect(userCodeShardOf(userCode)).toBe(shard)
    }
    expect(deviceCodeShardOf("dc99_" + "a".repeat(43))).toBeNull()
    expect(deviceCodeShardOf("ac01_" + "a".repeat(43))).toBeNull()
  })

  it("user codes spread evenly over the 32 shards (100,000 codes; chi-square at p = 0.001)", () => {
    const counts = new Array<number>(deviceShardCount).fill(0)
    const n = 100_000
    const codes = seededUserCodes(3, n)
    for (const code of codes) {
      const index = userCodeShardIndex(code)
      counts[index] = (counts[index] ?? 0) + 1
    }
    const mean = n / deviceShardCount
    expect(Math.max(...counts) / mean).toBeLessThan(1.08)
    expect(Math.min(...counts) / mean).toBeGreaterThan(0.92)
    expect(counts.reduce((sum, c) => sum + (c - mean) ** 2 / mean, 0)).toBeLessThan(61.1)
  })
})

describe("device authorization grant — RFC 8628 §3.4–3.5", () => {
  it("pending → authorization_pending; after approval the first poll gets tokens once, with an ID token for openid", async () => {
    const clock = new ManualClock()
    // offline_access: the device gets a refresh token (issue 9 §2).
    const auth = await start(clock, "openid profile offline_access")
    expect(auth).toMatchObject({ expiresIn: 900, interval: 5 })
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("authorization_pending")
    const described = await runDevice(describeDeviceCode({ userCode: auth.userCode.toLowerCase().replace("-", "") }), clock)
    expect(described).toEqual({ clientId: "tv-client", scope: "openid profile offline_access", status: "pending", userCode: auth.userCode })
    expect(await runDevice(decideDeviceCode(decision(auth.userCode, "approve")), clock)).toEqual({ status: "approved" })
    clock.advance(5_000)
    const tokens = await runDevice(pollDeviceCode(pollInput(auth.deviceCode)), clock)
    const idToken = await jwtVerify(tokens.id_token ?? "", await keysJwks(), { issuer, audience: "tv-client" })
    expect(idToken.payload).toMatchObject({ sub: "user-1", amr: ["pwd"], sid: "sid-dev" })
    expect(tokens.scope).toBe("openid profile offline_access")
    // The refresh token is a normal one of the client's.
    expect((await run(refreshTokens(refreshInput(tokens.refresh_token ?? "", { clientId: "tv-client" })), clock)).access_token).toBeTruthy()
    clock.advance(5_000)
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("invalid_grant")
    // An approved-and-redeemed code no longer shows on the verification page.
    expect(await outcomeOf(describeDeviceCode({ userCode: auth.userCode }), clock)).toBe("NotFound")
  })

  it("no refresh token for a client without the refresh_token grant; no ID token without openid", async () => {
    const clock = new ManualClock()
    const auth = await start(clock, "profile")
    await runDevice(decideDeviceCode(decision(auth.userCode, "approve")), clock)
    const tokens = await runDevice(pollDeviceCode(pollInput(auth.deviceCode, "tv-client", false)), clock)
    expect(tokens.id_token).toBeUndefined()
    expect(tokens.refresh_token).toBeUndefined()
  })

  it("polling faster than the interval is slow_down and the interval grows by 5 s each time", async () => {
    const clock = new ManualClock()
    const auth = await start(clock)
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("authorization_pending")
    clock.advance(4_000)
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("slow_down")
    clock.advance(9_000) // now 10 s is required
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("slow_down")
    clock.advance(15_000) // 15 s now
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("authorization_pending")
    clock.advance(14_000)
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("slow_down")
  })

  it("after 15 minutes: expired_token to the device, unknown to the verification page", async () => {
    const clock = new ManualClock()
    const auth = await start(clock)
    clock.advance(15 * 60_000)
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("expired_token")
    expect(await outcomeOf(describeDeviceCode({ userCode: auth.userCode }), clock)).toBe("NotFound")
    expect(await outcomeOf(decideDeviceCode(decision(auth.userCode, "approve")), clock)).toBe("NotFound")
  })

  it("deny → access_denied; a denied code cannot then be approved", async () => {
    const clock = new ManualClock()
    const auth = await start(clock)
    await runDevice(decideDeviceCode(decision(auth.userCode, "deny")), clock)
    expect(await outcomeOf(decideDeviceCode(decision(auth.userCode, "approve")), clock)).toBe("invalid_request")
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("access_denied")
  })

  it("a device code is bound to its client; unknown codes are invalid_grant", async () => {
    const clock = new ManualClock()
    const auth = await start(clock)
    await runDevice(decideDeviceCode(decision(auth.userCode, "approve")), clock)
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode, "other-client")), clock)).toBe("invalid_grant")
    expect(await outcomeOf(pollDeviceCode(pollInput("dc00_" + "x".repeat(43))), clock)).toBe("invalid_grant")
    expect(await outcomeOf(pollDeviceCode(pollInput("garbage")), clock)).toBe("invalid_grant")
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("ok")
  })
})

describe("device grant under concurrency — exactly one winner", () => {
  it("20 concurrent decisions on one user code: exactly one decides", async () => {
    const clock = new ManualClock()
    const auth = await start(clock)
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      outcomeOf(decideDeviceCode(decision(auth.userCode, i % 2 === 0 ? "approve" : "deny", `user-${i}`)), clock)))
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(1)
    expect(outcomes.filter((o) => o === "invalid_request")).toHaveLength(19)
  })

  it("20 concurrent polls after approval: exactly one gets tokens", async () => {
    const clock = new ManualClock()
    const auth = await start(clock)
    await runDevice(decideDeviceCode(decision(auth.userCode, "approve")), clock)
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => runDevice(Effect.result(pollDeviceCode(pollInput(auth.deviceCode))), clock)))
    expect(outcomes.filter((o) => o._tag === "Success")).toHaveLength(1)
    expect(outcomes.flatMap((o) => (o._tag === "Failure" ? ["code" in o.failure ? o.failure.code : o.failure._tag] : []))).toEqual(new Array(19).fill("invalid_grant"))
  })
})

describe("DeviceCodeStore purge alarm", () => {
  it("keeps an expired code an hour (late polls hear expired_token), then purges it; codes are stored only as hashes", async () => {
    const clock = new ManualClock(Date.now() - 2 * 3_600_000)
    const auth = await start(clock)
    const stub = env.DEVICE_CODES.get(env.DEVICE_CODES.idFromName(deviceCodeShardOf(auth.deviceCode) ?? ""))
    const stored = await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec<{ device_code_hash: string; user_code_hash: string }>("SELECT device_code_hash, user_code_hash FROM device_codes").toArray())
    expect(stored.length).toBeGreaterThan(0)
    for (const row of stored) {
      expect(row.device_code_hash).not.toBe(auth.deviceCode)
      expect(row.user_code_hash).not.toContain(auth.userCode.replace("-", ""))
    }
    clock.advance(15 * 60_000)
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("expired_token")
    await runDurableObjectAlarm(stub)
    expect(await outcomeOf(pollDeviceCode(pollInput(auth.deviceCode)), clock)).toBe("invalid_grant")
  })
})
