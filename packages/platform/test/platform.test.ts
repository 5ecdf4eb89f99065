import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { base64url, CachedExpiryAlarm, constantTimeEqual, fromBase64url, MIN_PURGE_SPACING_MS, randomBase64url, sha256Base64url, sha256Hex, stableHash32, timingSafeEqual, toHex } from "../src/index.ts"

describe("stableHash32", () => {
  // A wire format: these values are what every deployed shard name was derived from.
  it("keeps the values every shard was named with", () => {
    expect(stableHash32("")).toBe(2872998923)
    expect(stableHash32("user-1")).toBe(2005895916)
    expect(stableHash32("user-2")).toBe(853201105)
    expect(stableHash32("bench-app")).toBe(2827948217)
    expect(stableHash32("日本語")).toBe(3932500114)
  })

  it("spreads sequential ids over every residue of a small modulus", () => {
    const counts = new Array<number>(32).fill(0)
    for (let i = 0; i < 32_000; i++) counts[stableHash32(`user-${i}`) % 32]!++
    expect(Math.min(...counts)).toBeGreaterThan(850)
    expect(Math.max(...counts)).toBeLessThan(1150)
  })
})

describe("base64url", () => {
  it("encodes without padding in the URL-safe alphabet and decodes back", () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xfe, 0x00, 0x01])
    expect(base64url(bytes)).toBe("-__-AAE")
    expect(fromBase64url("-__-AAE")).toEqual(bytes)
    expect(base64url(new Uint8Array())).toBe("")
  })

  it("refuses what is not unpadded base64url", () => {
    for (const bad of ["a+b", "a/b", "ab==", "abcde", "ab c", "é"]) expect(fromBase64url(bad)).toBeNull()
  })

  it("makes random values of the asked size", () => {
    const a = randomBase64url(32)
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(randomBase64url(32)).not.toBe(a)
  })
})

describe("digests", () => {
  it("are SHA-256 of the UTF-8 bytes (FIPS 180-2 vector)", async () => {
    expect(await Effect.runPromise(sha256Hex("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    // RFC 7636 appendix B: the S256 challenge of the example verifier.
    expect(await Effect.runPromise(sha256Base64url("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
  })

  it("hex is lower-case, two digits per byte", () => {
    expect(toHex(Uint8Array.from([0, 10, 255]))).toBe("000aff")
  })
})

describe("timingSafeEqual", () => {
  it("is plain equality in its answers", () => {
    expect(timingSafeEqual("secret", "secret")).toBe(true)
    expect(timingSafeEqual("secret", "secreT")).toBe(false)
    expect(timingSafeEqual("secret", "secret2")).toBe(false)
    expect(timingSafeEqual("", "")).toBe(true)
  })
})

describe("constantTimeEqual", () => {
  it("compares bytes, unequal lengths and a trailing zero included", () => {
    expect(constantTimeEqual(Uint8Array.from([1, 2, 3]), Uint8Array.from([1, 2, 3]))).toBe(true)
    expect(constantTimeEqual(Uint8Array.from([1, 2, 3]), Uint8Array.from([1, 2, 4]))).toBe(false)
    expect(constantTimeEqual(Uint8Array.from([1, 2]), Uint8Array.from([1, 2, 0]))).toBe(false)
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true)
  })
})

describe("CachedExpiryAlarm", () => {
  const storage = () => {
    const calls: Array<string> = []
    let alarm: number | null = null
    return {
      calls,
      get alarm() { return alarm },
      getAlarm: async () => { calls.push("get"); return alarm },
      setAlarm: async (at: number) => { calls.push(`set ${at}`); alarm = at },
      deleteAlarm: async () => { calls.push("delete"); alarm = null }
    }
  }

  it("reads the armed time once, keeps the earliest, and after a purge re-arms no sooner than the spacing", async () => {
    const s = storage()
    const alarm = new CachedExpiryAlarm(s)
    await alarm.arm(5_000)
    await alarm.arm(9_000)
    await alarm.arm(3_000)
    expect(s.calls).toEqual(["get", "set 5000", "set 3000"])
    await alarm.afterPurge(3_500, 3_000)
    expect(s.alarm).toBe(3_000 + MIN_PURGE_SPACING_MS)
    s.calls.length = 0
    await alarm.afterPurge(null, 70_000)
    await alarm.arm(80_000)
    expect(s.calls).toEqual(["set 80000"])
  })
})
