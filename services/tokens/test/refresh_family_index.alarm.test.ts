/** RefreshFamilyIndex purge (alarm): expired families and forgotten cutoffs leave; live ones stay. */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { cutoffMemoryMs, indexPurgeSpacingMs } from "../src/family_index/refresh_family_index.ts"

const hour = 3_600_000
const register = (userId: string, familyId: string, expiresAt: number, now: number) => ({
  userId, familyId, clientId: "client-a", sid: "s1", offline: true, expiresAt, grantedAt: now, authTime: now, now
})

describe("RefreshFamilyIndex purge (alarm)", () => {
  it("purges families past expiry and cutoffs past their memory, re-arms for the next", async () => {
    const stub = env.REFRESH_FAMILY_INDEX.get(env.REFRESH_FAMILY_INDEX.idFromName(`alarm-${crypto.randomUUID()}`))
    const now = Date.now()
    const past = now - 2 * cutoffMemoryMs
    expect(await stub.register(register("u1", "expired", now - 1, past))).toEqual({ _tag: "registered", sid: "s1" })
    expect(await stub.register(register("u1", "live", now + hour, now))).toEqual({ _tag: "registered", sid: "s1" })
    await stub.beginRevokeSession({ userId: "u2", sid: "old", now: past })
    await stub.beginRevokeSession({ userId: "u2", sid: "recent", now })

    await runDurableObjectAlarm(stub)
    expect((await stub.describe("u1")).map((f) => f.familyId)).toEqual(["live"])
    const cutoffs = await runInDurableObject(stub, (_o, state) =>
      state.storage.sql.exec<{ sid: string }>("SELECT sid FROM family_cutoffs ORDER BY sid").toArray().map((r) => r.sid))
    expect(cutoffs).toEqual(["recent"])
    // Next purge: the earlier of the live family's expiry and the recent cutoff's memory (both an hour away),
    // but not before a day has passed (issue 10: the purge scans the shard, so it runs at most daily).
    const alarm = await runInDurableObject(stub, (_o, state) => state.storage.getAlarm())
    expect(Math.min(hour, cutoffMemoryMs)).toBeLessThan(indexPurgeSpacingMs)
    expect(alarm).toBeGreaterThanOrEqual(now + indexPurgeSpacingMs)
    expect(alarm).toBeLessThan(Date.now() + indexPurgeSpacingMs + 1)
  })

  it("a forgotten per-session cutoff no longer detaches a late registration", async () => {
    const stub = env.REFRESH_FAMILY_INDEX.get(env.REFRESH_FAMILY_INDEX.idFromName(`alarm-${crypto.randomUUID()}`))
    const now = Date.now()
    await stub.beginRevokeSession({ userId: "u1", sid: "s1", now: now - 2 * cutoffMemoryMs })
    await runDurableObjectAlarm(stub)
    expect(await stub.register(register("u1", "f1", now + hour, now))).toEqual({ _tag: "registered", sid: "s1" })
  })
})
