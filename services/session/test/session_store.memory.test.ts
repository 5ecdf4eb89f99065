import { env, runInDurableObject } from "cloudflare:test"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { DEFAULT_HOT_LIMIT, HotSessions } from "../src/hot_sessions.ts"
import { RevokedSessions } from "../src/revoked_sessions.ts"
import { newSessionId } from "../src/session_id.ts"
import {
  createSession,
  MAX_DEVICE_NAME_LENGTH,
  MAX_IP_ADDRESS_LENGTH,
  MAX_USER_AGENT_LENGTH,
  type ShardState
} from "../src/shard_operations.ts"
import type { StoredSession } from "../src/stored_session.ts"
import { mapTableBytes, retainedBytesEstimate } from "./retained_size.ts"
import { loginFor, shardStub, userInShard } from "./session_fixtures.ts"

// Shard 50 belongs to this file.
const SHARD = 50

/** DESIGN §6 / issue 3: a shard holding 10,000 sessions must stay within 10 MB. */
const BUDGET_BYTES = 10 * 1024 * 1024

/** Sessions opened through the real `create` path (D1 write included); the rest of the shard are copies of them. */
const REAL_CREATES = 100

/** A real browser's user agent. */
const CHROME_ON_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

/**
 * Fills a hot set at the default bound (10,000) plus 200, inside the shard's
 * Durable Object: `REAL_CREATES` sessions through `createSession` (real ids,
 * real cookie-secret hashes, rows in D1), then deep copies of them
 * (`structuredClone`: every string its own allocation, as when sessions
 * arrive by RPC) under fresh ids — 10,000 D1 writes would take a minute and
 * add nothing to what is measured.
 */
const fillShard = (input: Parameters<typeof loginFor>[1]) =>
  runInDurableObject(shardStub(SHARD), async () => {
    const hot = new HotSessions(DEFAULT_HOT_LIMIT)
    const state: ShardState = {
      db: env.DB,
      hot,
      revoked: new RevokedSessions(DEFAULT_HOT_LIMIT),
      now: () => Date.now(),
      purgeNoLaterThan: () => Effect.void
    }
    const users = Array.from({ length: 10 }, (_, i) => userInShard(SHARD, `memory-${i}`))
    const real: Array<StoredSession> = []
    for (let i = 0; i < REAL_CREATES; i++) {
      const { session } = await Effect.runPromise(createSession(state, loginFor(users[i % users.length] ?? "nobody", input)))
      const stored = hot.get(session.id)
      if (stored !== undefined) real.push(stored)
    }
    for (let i = hot.size; i < DEFAULT_HOT_LIMIT + 200; i++) {
      const copy = structuredClone(real[i % real.length]!)
      hot.put({ ...copy, session: { ...copy.session, id: newSessionId(SHARD) } })
    }
    return hot
  })

/** Average and total estimated heap bytes of a hot set: compressed pointers (workerd) and uncompressed (upper bound). */
const measure = (hot: HotSessions) => {
  const entries = [...hot.values()]
  const average = (tagged: number) => entries.reduce((sum, stored) => sum + retainedBytesEstimate(stored, tagged), 0) / entries.length
  const total = (tagged: number) => Math.round(average(tagged) * hot.size + mapTableBytes(hot.size, tagged))
  return {
    entries: hot.size,
    jsonBytesPerEntry: Math.round(entries.reduce((sum, stored) => sum + JSON.stringify(stored).length, 0) / entries.length),
    heapBytesPerEntry: Math.round(average(4)),
    totalBytes: total(4),
    totalBytesUncompressed: total(8)
  }
}

describe("SessionStore — memory of a full shard (DESIGN §6: 10 K sessions ≈ 10 MB)", () => {
  it("keeps exactly the default bound of 10,000 sessions in memory, within 10 MB for a typical browser", { timeout: 60_000 }, async () => {
    const hot = await fillShard({ userAgent: CHROME_ON_MAC, deviceName: "Chrome on macOS", ipAddress: "2001:db8:85a3::8a2e:370:7334" })
    expect(hot.size).toBe(DEFAULT_HOT_LIMIT)
    const result = measure(hot)
    console.log("session shard memory, typical browser:", JSON.stringify(result))
    expect(result.totalBytesUncompressed).toBeLessThan(BUDGET_BYTES)
  })

  it("stays within 10 MB even when every session carries the longest descriptive strings the shard keeps", { timeout: 60_000 }, async () => {
    const hot = await fillShard({
      userAgent: "U".repeat(4 * MAX_USER_AGENT_LENGTH),
      deviceName: "D".repeat(4 * MAX_DEVICE_NAME_LENGTH),
      ipAddress: "I".repeat(4 * MAX_IP_ADDRESS_LENGTH),
      amr: ["pwd", "otp", "mfa"],
      acr: "urn:authrim:acr:mfa"
    })
    expect(hot.size).toBe(DEFAULT_HOT_LIMIT)
    const [first] = hot.values()
    expect(first?.session.userAgent).toHaveLength(MAX_USER_AGENT_LENGTH)
    const result = measure(hot)
    console.log("session shard memory, longest entries:", JSON.stringify(result))
    expect(result.totalBytes).toBeLessThan(BUDGET_BYTES)
  })
})
