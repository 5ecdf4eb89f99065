import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { refreshShardName } from "../src/shard_routing.ts"
import { familyIdOf } from "../src/token_format.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, failureOf, issuer, ManualClock, refreshInput, run, signIn } from "./token_fixtures.ts"

describe("refresh rotation under concurrency — OAuth 2.0 Security BCP §4.14.2, issue 14 grace window", () => {
  it("20 concurrent refreshes of one token inside the window: one rotates, 19 replay it — all 20 get the same successor and distinct access tokens", async () => {
    const clock = new ManualClock()
    const token = (await signIn(clock)).refresh_token ?? ""
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => run(Effect.result(refreshTokens(refreshInput(token))), clock)))
    const winners = outcomes.flatMap((o) => (o._tag === "Success" ? [o.success] : []))
    expect(winners).toHaveLength(20)
    expect(new Set(winners.map((w) => w.refresh_token)).size).toBe(1)
    expect(winners[0]!.refresh_token).not.toBe(token)
    expect(new Set(winners.map((w) => w.access_token)).size).toBe(20)

    // Consistent end state: one rotation, 19 replays, the family alive.
    const familyId = familyIdOf(token) ?? ""
    const stub = env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName(refreshShardName("client-a", familyId)))
    expect(await stub.describe(familyId)).toEqual({ rotationCount: 1, previousCount: 1, revoked: false })
    expect(await stub.graceReplays(familyId)).toBe(19)
    for (const w of winners) await expect(run(verifyAccessToken({ issuer, token: w.access_token }), clock)).resolves.toHaveProperty("sub")

    // The successor rotates; the first token is then reuse (its successor was used): the family and all 21 access tokens die.
    const next = await run(refreshTokens(refreshInput(winners[0]!.refresh_token ?? "")), clock)
    expect(codeOf(await failureOf(refreshTokens(refreshInput(token)), clock))).toBe("invalid_grant")
    expect(codeOf(await failureOf(refreshTokens(refreshInput(next.refresh_token ?? "")), clock))).toBe("invalid_grant")
    for (const access of [...winners.map((w) => w.access_token), next.access_token]) {
      expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: access }), clock))).toBe("invalid_token")
    }
  })
})
