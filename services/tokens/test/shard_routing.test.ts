import { stableHash32 } from "@authrim/platform"
import { describe, expect, it } from "vitest"
import { codeShardCount, codeShardName, familyIndexShardCount, familyIndexShardIndex, familyIndexShardName, randomCodeShardIndex, refreshShardIndex, refreshShardName, refreshShardsPerClient, revocationShardCount, revocationShardIndex, revocationShardName } from "../src/shard_routing.ts"
import { codeShardOf, familyIdOf, newCodeShard, newFamilyId, newRefreshToken, parseCode } from "../src/token_format.ts"

const N = 100_000

/** Deterministic pseudo-random ids (mulberry32), so the balance bounds never flake. */
const seededIds = (seed: number, n: number): string[] => {
  let a = seed
  const next = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0).toString(36)
  }
  return Array.from({ length: n }, () => `${next()}${next()}${next()}`)
}

/** Max/mean load and the chi-square statistic of `n` ids over `buckets`. */
const balance = (indexes: number[], buckets: number) => {
  const counts = new Array<number>(buckets).fill(0)
  for (const i of indexes) counts[i] = (counts[i] ?? 0) + 1
  const mean = indexes.length / buckets
  const chiSquare = counts.reduce((sum, c) => sum + (c - mean) ** 2 / mean, 0)
  return { maxOverMean: Math.max(...counts) / mean, minOverMean: Math.min(...counts) / mean, chiSquare }
}

// Chi-square critical values at p = 0.001: df 31 → 61.10, df 7 → 24.32.
describe("shard functions — stable and balanced (DESIGN §2)", () => {
  it("stableHash32 is a fixed function (pinned values: changing it strands live data)", () => {
    expect(revocationShardName("jti-1")).toBe(`rv${String(3322923095 % 32).padStart(2, "0")}`)
    expect(pinned.map(([id]) => stableHash32(id))).toEqual(pinned.map(([, h]) => h))
  })

  it("revocation shard of a jti is stable and balanced over 100,000 sequential and random jtis", () => {
    for (const ids of [Array.from({ length: N }, (_, i) => `jti-${i}`), seededIds(7, N)]) {
      const b = balance(ids.map(revocationShardIndex), revocationShardCount)
      expect(b.maxOverMean).toBeLessThan(1.06)
      expect(b.minOverMean).toBeGreaterThan(0.94)
      expect(b.chiSquare).toBeLessThan(61.1)
    }
    expect(revocationShardName("abc")).toBe(revocationShardName("abc"))
  })

  it("refresh family spreads a hot client over 8 shards, balanced over 100,000 family ids", () => {
    const ids = seededIds(11, N)
    const b = balance(ids.map(refreshShardIndex), refreshShardsPerClient)
    expect(b.maxOverMean).toBeLessThan(1.03)
    expect(b.chiSquare).toBeLessThan(24.32)
    expect(refreshShardName("client-a", "fam")).toBe(`rt:client-a:${refreshShardIndex("fam")}`)
  })

  it("user → families index: one shard per user, balanced over 100,000 sequential and random user ids", () => {
    for (const ids of [Array.from({ length: N }, (_, i) => `user-${i}`), seededIds(13, N), Array.from({ length: N }, () => crypto.randomUUID())]) {
      const b = balance(ids.map(familyIndexShardIndex), familyIndexShardCount)
      expect(b.maxOverMean).toBeLessThan(1.1)
      expect(b.minOverMean).toBeGreaterThan(0.9)
      expect(b.chiSquare).toBeLessThan(61.1 * 1.5) // the UUID set is random, not seeded: a looser bound keeps it from flaking
    }
    expect(familyIndexShardName("user-1")).toBe(`uf${String(stableHash32("user-1") % 32).padStart(2, "0")}`)
    expect(familyIndexShardName("user-1")).toBe(familyIndexShardName("user-1"))
  })

  it("a refresh token routes to its family's shard without a lookup", () => {
    const familyId = newFamilyId()
    const token = newRefreshToken(familyId)
    expect(familyIdOf(token)).toBe(familyId)
    expect(refreshShardName("client-a", familyIdOf(token) ?? "")).toBe(refreshShardName("client-a", familyId))
    expect(familyIdOf(`${token}x`)).toBeNull()
    expect(familyIdOf("rt_short.secret")).toBeNull()
  })

  it("codes name their shard, chosen uniformly at random over 32 shards (100,000 codes)", () => {
    const b = balance(Array.from({ length: N }, randomCodeShardIndex), codeShardCount)
    expect(b.maxOverMean).toBeLessThan(1.1)
    expect(b.chiSquare).toBeLessThan(61.1 * 1.5) // random, not seeded: a looser bound keeps it from flaking
    const shard = newCodeShard()
    const sealedBody = "B".repeat(240)
    expect(codeShardOf(`${shard}_${sealedBody}`)).toBe(shard)
    expect(parseCode(`${shard}_${sealedBody}`)).toEqual({ shard, body: sealedBody, stored: false })
    // A code minted before issue 10 (43 random characters, stored in its shard) still routes.
    expect(parseCode("ac07_" + "A".repeat(43))).toEqual({ shard: "ac07", body: "A".repeat(43), stored: true })
    expect(codeShardOf("ac32_" + "A".repeat(43))).toBeNull()
    expect(codeShardOf("ac05_" + "A".repeat(42))).toBeNull()
    expect(codeShardName(5)).toBe("ac05")
  })
})

const pinned: Array<[string, number]> = [["jti-1", 3322923095], ["client-a", 3858204537], ["", 2872998923]]
