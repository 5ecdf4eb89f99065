import { describe, expect, it } from "vitest"
import { newSessionId, parseCookie, shardOfSessionId } from "../src/session_id.ts"
import { SESSION_SHARD_COUNT, sessionShardFor, sessionShardName } from "../src/session_shard.ts"

describe("SessionStore shard function — DESIGN §2 (100 shards by a stable hash of the user id)", () => {
  it("is stable: fixed vectors never change across deployments", () => {
    // Pinned outputs. If this test fails the hash changed, and every existing user's sessions would be orphaned.
    expect(sessionShardFor("")).toBe(23)
    expect(sessionShardFor("user-1")).toBe(16)
    expect(sessionShardFor("alice@example.com")).toBe(80)
    expect(sessionShardFor("0b6f4c1e-9a3b-4b8e-8f1a-2d9c6e7f5a10")).toBe(8)
    expect(sessionShardFor("ユーザー")).toBe(16)
    expect(sessionShardName(7)).toBe("session-shard-7")
  })

  it("is balanced over 100,000 synthetic user ids (max/mean ≤ 1.15, chi-square below the 99.9 % critical value)", () => {
    const counts = new Array<number>(SESSION_SHARD_COUNT).fill(0)
    const total = 100_000
    for (let i = 0; i < total; i++) {
      const shard = sessionShardFor(`user-${i}`)
      counts[shard] = (counts[shard] ?? 0) + 1
    }
    const mean = total / SESSION_SHARD_COUNT
    const chiSquare = counts.reduce((sum, count) => sum + (count - mean) ** 2 / mean, 0)
    expect(Math.min(...counts)).toBeGreaterThan(0)
    expect(Math.max(...counts) / mean).toBeLessThanOrEqual(1.15)
    // Critical value of chi-square with 99 degrees of freedom at p = 0.001.
    expect(chiSquare).toBeLessThan(148.23)
  })

  it("is balanced for email-shaped user ids too (deterministic, so the test cannot flake)", () => {
    const counts = new Array<number>(SESSION_SHARD_COUNT).fill(0)
    for (let i = 0; i < 100_000; i++) {
      const shard = sessionShardFor(`person.${i.toString(36)}@example.org`)
      counts[shard] = (counts[shard] ?? 0) + 1
    }
    const chiSquare = counts.reduce((sum, count) => sum + (count - 1000) ** 2 / 1000, 0)
    expect(Math.max(...counts) / 1000).toBeLessThanOrEqual(1.15)
    expect(chiSquare).toBeLessThan(148.23)
  })
})

describe("Session ids route to their shard without an index", () => {
  it("carries the shard in the id, and ids are unguessable (128 random bits)", () => {
    const ids = new Set<string>()
    for (let shard = 0; shard < SESSION_SHARD_COUNT; shard++) {
      const id = newSessionId(shard)
      expect(id).toMatch(/^s\d{2}_[A-Za-z0-9_-]{22}$/)
      expect(shardOfSessionId(id)).toBe(shard)
      ids.add(id)
    }
    expect(ids.size).toBe(SESSION_SHARD_COUNT)
  })

  it("rejects malformed ids and cookies instead of routing them", () => {
    for (const id of ["", "s7_abc", "sxx_AAAAAAAAAAAAAAAAAAAAAA", "s07-AAAAAAAAAAAAAAAAAAAAAA", "s07_AAAA", "s07_AAAAAAAAAAAAAAAAAAAAAA.x", " s07_AAAAAAAAAAAAAAAAAAAAAA"]) {
      expect(shardOfSessionId(id)).toBeUndefined()
    }
    const id = newSessionId(7)
    const secret = "A".repeat(43)
    expect(parseCookie(`${id}.${secret}`)).toEqual({ sessionId: id, secret })
    for (const cookie of [id, `${id}.`, `${id}.${secret}x`, `${id}.${"A".repeat(42)}`, `${id}.${secret}.x`, `${id}.${"A".repeat(42)}+`]) {
      expect(parseCookie(cookie)).toBeUndefined()
    }
  })
})
