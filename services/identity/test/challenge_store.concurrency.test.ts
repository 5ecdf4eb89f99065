import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { consumeChallenge, createChallenge } from "../src/challenges/challenges.ts"
import { makeHarness } from "./identity_harness.ts"

describe("ChallengeStore — atomic consume under concurrency (DESIGN §4)", () => {
  it.each([null, "race-user"])("RACE: 20 concurrent consumeChallenge calls (userId %j) → exactly one succeeds", async (userId) => {
    const h = makeHarness()
    const { id } = await h.run(createChallenge({ type: "consent", userId, metadata: { n: 1 } }))
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => h.run(Effect.result(consumeChallenge({ id, type: "consent" }))))
    )
    const winners = outcomes.filter((o) => o._tag === "Success")
    const losers = outcomes.filter((o) => o._tag === "Failure")
    expect(winners).toHaveLength(1)
    expect(losers).toHaveLength(19)
    for (const loser of losers) expect(loser._tag === "Failure" && loser.failure._tag).toBe("NotFound")
  })
})
