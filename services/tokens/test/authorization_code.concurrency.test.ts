import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { introspectToken } from "../src/introspect_token.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, exchangeInput, failureOf, grantInput, issuer, ManualClock, refreshInput, run } from "./token_fixtures.ts"

describe("authorization code single use under concurrency — RFC 6749 §4.1.2", () => {
  // Issue 9 §2 (deliberate change): a refresh family revoked before it was created makes the grant answer
  // invalid_grant. Under this race the replays usually revoke the winner's family before it exists, so the
  // winner may hear invalid_grant too; what must hold: at most one TokenSet, and nothing issued stays alive.
  it("20 concurrent redemptions: at most one TokenSet, the rest invalid_grant, and the winner's tokens end up revoked", async () => {
    const clock = new ManualClock()
    const { code } = await run(createAuthorizationCode(grantInput()), clock)
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => run(Effect.result(exchangeAuthorizationCode(exchangeInput(code))), clock))
    )
    const winners = outcomes.flatMap((o) => (o._tag === "Success" ? [o.success] : []))
    const losers = outcomes.flatMap((o) => (o._tag === "Failure" ? [o.failure] : []))
    expect(winners.length).toBeLessThanOrEqual(1)
    expect(losers.map(codeOf)).toEqual(new Array(20 - winners.length).fill("invalid_grant"))
    if (winners.length === 0) return

    // The losers are replays of a redeemed code, so the replay rule revoked what the winner was issued —
    // even where a replay landed before the winner had finished signing (ids are fixed at redemption).
    const winner = winners[0]!
    expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: winner.access_token }), clock))).toBe("invalid_token")
    expect(await run(introspectToken({ issuer, token: winner.access_token, tokenTypeHint: null, clientId: "client-a" }), clock))
      .toEqual({ active: false })
    expect(codeOf(await failureOf(refreshTokens(refreshInput(winner.refresh_token ?? "")), clock))).toBe("invalid_grant")
  })
})
