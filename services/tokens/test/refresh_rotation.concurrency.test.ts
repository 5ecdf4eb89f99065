import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { refreshShardName } from "../src/shard_routing.ts"
import { familyIdOf } from "../src/token_format.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, failureOf, issuer, ManualClock, refreshInput, run, signIn } from "./token_fixtures.ts"

describe("refresh rotation under concurrency — OAuth 2.0 Security BCP §4.14.2", () => {
  it("20 concurrent refreshes of one token: exactly one rotates, the 19 others count as reuse and revoke the family", async () => {
    const clock = new ManualClock()
    const token = (await signIn(clock)).refresh_token ?? ""
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => run(Effect.result(refreshTokens(refreshInput(token))), clock)))
    const winners = outcomes.flatMap((o) => (o._tag === "Success" ? [o.success] : []))
    const losers = outcomes.flatMap((o) => (o._tag === "Failure" ? [o.failure] : []))
    expect(winners).toHaveLength(1)
    expect(losers.map(codeOf)).toEqual(new Array(19).fill("invalid_grant"))

    // Consistent end state: one rotation happened, then the family was revoked.
    const familyId = familyIdOf(token) ?? ""
    const stub = env.REFRESH_TOKENS.get(env.REFRESH_TOKENS.idFromName(refreshShardName("client-a", familyId)))
    expect(await stub.describe(familyId)).toEqual({ rotationCount: 1, previousCount: 1, revoked: true })
    // So the winner's new refresh token and access token are dead as well.
    const winner = winners[0]!
    expect(codeOf(await failureOf(refreshTokens(refreshInput(winner.refresh_token ?? "")), clock))).toBe("invalid_grant")
    expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: winner.access_token }), clock))).toBe("invalid_token")
  })
})
