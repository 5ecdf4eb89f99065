import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { RATE_LIMIT_SHARDS, rateLimitShardFor as shardEffect, rateLimitShardName } from "../src/shard.ts"

const rateLimitShardFor = (key: string) => Effect.runPromise(shardEffect(key))

describe("RateLimiterCounter routing — SHA-256 prefix mod 1000 (DESIGN §2)", () => {
  it("routes known keys to pinned shards (changing these resets every live window)", async () => {
    // Pinned from an independent implementation: int.from_bytes(sha256(key.encode()).digest()[:4], "big") % 1000 (Python).
    expect(await rateLimitShardFor("token:ip:203.0.113.9")).toBe(788)
    expect(await rateLimitShardFor("authorize:ip:2001:db8::1")).toBe(160)
    expect(await rateLimitShardFor("login:email:alice@example.com")).toBe(644)
    expect(await rateLimitShardFor("")).toBe(610)
    expect(await rateLimitShardFor("é")).toBe(878) // UTF-8 bytes C3 A9, not the UTF-16 unit E9
    expect(rateLimitShardName(7)).toBe("ratelimit-shard-7")
  })

  it("gives the same key the same shard every time", async () => {
    const key = "token:ip:198.51.100.23"
    const shards = await Promise.all(Array.from({ length: 20 }, () => rateLimitShardFor(key)))
    expect(new Set(shards).size).toBe(1)
  })

  it("spreads 100,000 IPv4/IPv6 keys evenly over the 1000 shards", async () => {
    const counts = new Array<number>(RATE_LIMIT_SHARDS).fill(0)
    const shards = await Effect.runPromise(Effect.forEach(syntheticIpKeys(100_000), shardEffect))
    for (const shard of shards) counts[shard] = (counts[shard] ?? 0) + 1
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100_000) // every shard index was in 0 … 999
    const mean = 100_000 / RATE_LIMIT_SHARDS
    const chiSquare = counts.reduce((sum, observed) => sum + (observed - mean) ** 2 / mean, 0)
    // The fullest of 1000 ideal Poisson(100) bins sits near mean + 3.2σ ≈ 132, so ~1.3 is the ideal itself;
    // 1.4 leaves room for chance and still catches a hash that clusters.
    expect(Math.max(...counts) / mean).toBeLessThanOrEqual(1.4)
    // χ²(999) at the 99.9 % level (Wilson–Hilferty: 999·(1 − 2/8991 + 3.0902·√(2/8991))³ ≈ 1142.8).
    expect(chiSquare).toBeLessThan(1142.8)
  })
})

/** Half sequential IPv4 addresses (the worst case for a weak hash), half IPv6 addresses in one /32. */
function* syntheticIpKeys(total: number): Generator<string> {
  for (let i = 0; i < total / 2; i++) {
    yield `token:ip:${10 + (i >>> 24)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`
  }
  for (let i = 0; i < total / 2; i++) {
    yield `token:ip:2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::${((i * 7919) % 65536).toString(16)}`
  }
}
