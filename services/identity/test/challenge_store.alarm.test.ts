import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { challengeShardName, newChallengeId, shardOfChallengeId } from "../src/challenges/challenge_shard.ts"
import { ChallengeTable } from "../src/challenges/challenge_table.ts"
import { createChallenge } from "../src/challenges/challenges.ts"
import { makeHarness, unique } from "./identity_harness.ts"

describe("ChallengeStore — expired rows are purged by alarm", () => {
  it("schedules an alarm at the earliest expiry; the alarm deletes expired rows only and re-arms", async () => {
    const h = makeHarness()
    const userId = unique("alarm-user")
    const live = await h.run(createChallenge({ type: "login", userId, metadata: {}, ttlSeconds: 300 }))
    const stub = env.CHALLENGES.get(env.CHALLENGES.idFromName(challengeShardName(shardOfChallengeId(live.id) ?? -1)))
    const expiredId = newChallengeId(userId)

    const before = await runInDurableObject(stub, async (_instance, state) => {
      const table = new ChallengeTable(state.storage.sql)
      // Written "16 minutes ago": already past its 15-minute life.
      table.create({ id: expiredId, type: "login", userId, metadataJson: "{}", ttlMs: 900_000 }, Date.now() - 960_000)
      return { alarm: await state.storage.getAlarm(), count: table.count() }
    })
    expect(before.alarm).not.toBeNull()
    expect(before.alarm ?? Infinity).toBeLessThanOrEqual(live.expiresAt)

    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const after = await runInDurableObject(stub, async (_instance, state) => ({
      ids: state.storage.sql.exec<{ id: string }>("SELECT id FROM challenges WHERE id IN (?, ?)", live.id, expiredId).toArray().map((r) => r.id),
      alarm: await state.storage.getAlarm()
    }))
    expect(after.ids).toEqual([live.id])
    expect(after.alarm).not.toBeNull()
  })
})
