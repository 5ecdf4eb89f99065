import { stableHash32 } from "@authrim/platform"
import { describe, expect, it } from "vitest"
import { CHALLENGE_SHARDS, challengeShardForUser, newChallengeId, shardOfChallengeId } from "../src/challenges/challenge_shard.ts"

describe("ChallengeStore shard function (STYLE rule 5)", () => {
  it("is stable: pinned values never change across deployments", () => {
    // Pinned: if these move, the function changed, and ids minted before and after would disagree.
    expect(stableHash32("authrim")).toBe(1835752052)
    expect(["user-1", "user-2", "0f8e2c1a-user"].map(challengeShardForUser)).toEqual([44, 17, 48])
  })

  it("balances 100,000 user ids over 64 shards (max/mean < 1.1, chi-square under p = 0.001)", () => {
    const counts = new Array<number>(CHALLENGE_SHARDS).fill(0)
    for (let i = 0; i < 100_000; i++) {
      const shard = challengeShardForUser(`user-${i}`)
      counts[shard] = (counts[shard] ?? 0) + 1
    }
    const mean = 100_000 / CHALLENGE_SHARDS
    expect(Math.max(...counts) / mean).toBeLessThan(1.1)
    expect(Math.min(...counts) / mean).toBeGreaterThan(0.9)
    const chiSquare = counts.reduce((sum, c) => sum + (c - mean) ** 2 / mean, 0)
    expect(chiSquare).toBeLessThan(103.4) // 63 degrees of freedom, p = 0.001
  })

  it("user-less ids spread over every shard", () => {
    const seen = new Set<number | null>()
    for (let i = 0; i < 5_000; i++) seen.add(shardOfChallengeId(newChallengeId(null)))
    expect(seen.size).toBe(CHALLENGE_SHARDS)
    expect(seen.has(null)).toBe(false)
  })

  it("the id names its shard: a user's challenge id parses back to the user's shard", () => {
    const id = newChallengeId("user-42")
    expect(id).toMatch(/^c\d{1,2}_[A-Za-z0-9_-]{43}$/)
    expect(shardOfChallengeId(id)).toBe(challengeShardForUser("user-42"))
  })

  it.each(["", "c64_" + "a".repeat(43), "c07_" + "a".repeat(43), "c1_short", "x1_" + "a".repeat(43), "c1_" + "a".repeat(42) + "!", "c-1_" + "a".repeat(43)])(
    "rejects malformed id %j",
    (id) => expect(shardOfChallengeId(id)).toBeNull()
  )
})

describe("finished-transaction shard function (STYLE rule 5)", () => {
  it("balances 100,000 random transaction ids over 64 shards; malformed ids have none", async () => {
    const { transactionShardFor } = await import("../src/challenges/challenge_shard.ts")
    const counts = new Array<number>(CHALLENGE_SHARDS).fill(0)
    for (let i = 0; i < 100_000; i++) {
      const id = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
      const shard = transactionShardFor(id)!
      counts[shard] = (counts[shard] ?? 0) + 1
    }
    const mean = 100_000 / CHALLENGE_SHARDS
    const chiSquare = counts.reduce((sum, c) => sum + (c - mean) ** 2 / mean, 0)
    expect(chiSquare).toBeLessThan(103.4) // 63 degrees of freedom, p = 0.001
    expect(transactionShardFor("a".repeat(43))).toBe(transactionShardFor("a".repeat(43)))
    for (const bad of ["", "short", "a".repeat(42), "a".repeat(42) + "!"]) expect(transactionShardFor(bad)).toBeNull()
  })
})
