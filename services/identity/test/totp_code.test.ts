import { describe, expect, it } from "vitest"
import { base32Decode, base32Encode } from "../src/mfa/base32.ts"
import { normaliseRecoveryCode, newRecoveryCodes, RECOVERY_CODE_COUNT } from "../src/mfa/recovery_codes.ts"
import { Effect } from "effect"
import { hotp as hotpEffect, matchingTotpStep as matchingTotpStepEffect, totp as totpEffect, totpStep, type HotpHash } from "../src/mfa/totp_code.ts"
import { otpauthUri } from "../src/mfa/totp_enrolment.ts"

const hotp = (...args: Parameters<typeof hotpEffect>) => Effect.runPromise(hotpEffect(...args))
const totp = (...args: Parameters<typeof totpEffect>) => Effect.runPromise(totpEffect(...args))
const matchingTotpStep = (...args: Parameters<typeof matchingTotpStepEffect>) => Effect.runPromise(matchingTotpStepEffect(...args))

const ascii = (s: string) => new TextEncoder().encode(s)

describe("HOTP — RFC 4226 Appendix D reference values", () => {
  const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
  it.each(expected.map((code, counter) => [counter, code] as const))("counter %i → %s", async (counter, code) => {
    expect(await hotp(ascii("12345678901234567890"), counter)).toBe(code)
  })
})

describe("TOTP — RFC 6238 Appendix B reference values (8 digits)", () => {
  const seeds: Record<HotpHash, string> = {
    "SHA-1": "12345678901234567890",
    "SHA-256": "12345678901234567890123456789012",
    "SHA-512": "1234567890123456789012345678901234567890123456789012345678901234"
  }
  const vectors: ReadonlyArray<readonly [number, HotpHash, string]> = [
    [59, "SHA-1", "94287082"], [59, "SHA-256", "46119246"], [59, "SHA-512", "90693936"],
    [1111111109, "SHA-1", "07081804"], [1111111109, "SHA-256", "68084774"], [1111111109, "SHA-512", "25091201"],
    [1111111111, "SHA-1", "14050471"], [1111111111, "SHA-256", "67062674"], [1111111111, "SHA-512", "99943326"],
    [1234567890, "SHA-1", "89005924"], [1234567890, "SHA-256", "91819424"], [1234567890, "SHA-512", "93441116"],
    [2000000000, "SHA-1", "69279037"], [2000000000, "SHA-256", "90698825"], [2000000000, "SHA-512", "38618901"],
    [20000000000, "SHA-1", "65353130"], [20000000000, "SHA-256", "77737706"], [20000000000, "SHA-512", "47863826"]
  ]
  it.each(vectors)("T = %i s, %s → %s", async (seconds, hash, code) => {
    expect(await totp(ascii(seeds[hash]), seconds * 1000, 8, hash)).toBe(code)
  })

  it("uses 30-second steps from the Unix epoch (T0 = 0)", () => {
    expect(totpStep(59_000)).toBe(1)
    expect(totpStep(1111111109_000)).toBe(0x23523ec)
    expect(totpStep(20000000000_000)).toBe(0x27bc86aa)
  })
})

describe("TOTP verification window — RFC 6238 §5.2 (±1 step)", () => {
  const secret = ascii("12345678901234567890")
  const now = 1_700_000_015_000
  it("accepts the previous, current and next step's code and says which step matched", async () => {
    for (const offset of [-1, 0, 1]) {
      const code = await hotp(secret, totpStep(now) + offset)
      expect(await matchingTotpStep(secret, code, now)).toBe(totpStep(now) + offset)
    }
  })
  it("rejects codes two steps away and malformed input", async () => {
    expect(await matchingTotpStep(secret, await hotp(secret, totpStep(now) - 2), now)).toBeNull()
    expect(await matchingTotpStep(secret, await hotp(secret, totpStep(now) + 2), now)).toBeNull()
    expect(await matchingTotpStep(secret, "12345", now)).toBeNull()
  })
})

describe("Secrets and otpauth URIs — RFC 4648 base32, Key Uri Format", () => {
  it("round-trips base32 and matches the RFC 4648 §10 test vectors", () => {
    expect(base32Encode(ascii("foobar"))).toBe("MZXW6YTBOI")
    expect(base32Encode(ascii("fooba"))).toBe("MZXW6YTB")
    expect(base32Decode("mzxw6ytboi======")).toEqual(ascii("foobar"))
    expect(base32Decode("MZ1")).toBeNull()
    const bytes = crypto.getRandomValues(new Uint8Array(20))
    expect(base32Encode(bytes)).toHaveLength(32)
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes)
  })
  it("names issuer and account and states the parameters apps need", () => {
    const raw = otpauthUri("Authrim Test", "a+b@example.test", "JBSWY3DPEHPK3PXP")
    expect(raw.startsWith("otpauth://totp/Authrim%20Test:a%2Bb%40example.test?")).toBe(true)
    const uri = new URL(raw)
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: "JBSWY3DPEHPK3PXP", issuer: "Authrim Test", algorithm: "SHA1", digits: "6", period: "30"
    })
  })
})

describe("Recovery codes — format", () => {
  it("issues ten distinct codes that read back whatever the case or dashes", () => {
    const codes = newRecoveryCodes()
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT)
    for (const code of codes) {
      expect(code).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/)
      expect(normaliseRecoveryCode(` ${code.toUpperCase()} `)).toBe(code.replace(/-/g, ""))
    }
    expect(normaliseRecoveryCode("123456")).toBeNull()
  })
})
