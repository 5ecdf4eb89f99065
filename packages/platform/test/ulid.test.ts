import { describe, expect, it } from "vitest"
import { ulid, ulidTime, ulidTimestamp } from "../src/index.ts"

describe("ulid", () => {
  it("is 26 Crockford base32 characters whose time part round-trips", () => {
    const at = Date.UTC(2026, 11, 3, 14, 0, 0, 123)
    const id = ulid(at)
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/)
    expect(ulidTimestamp(id)).toBe(at)
    expect(ulidTime(0)).toBe("0000000000")
    expect(ulidTime(2 ** 48 - 1)).toBe("7ZZZZZZZZZ")
  })

  it("sorts by time across milliseconds and differs within one", () => {
    const ids = [ulid(1_000), ulid(1_001), ulid(1_000_000), ulid(2 ** 40)]
    expect([...ids].sort()).toEqual(ids)
    expect(ulid(5)).not.toBe(ulid(5))
  })

  it("answers null for what is not a ULID", () => {
    expect(ulidTimestamp("not-a-ulid")).toBeNull()
    expect(ulidTimestamp("8ZZZZZZZZZZZZZZZZZZZZZZZZZ")).toBeNull()
    expect(ulidTimestamp("0000000000000000000000000I")).toBeNull()
  })
})
