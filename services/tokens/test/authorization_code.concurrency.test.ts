import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { introspectToken } from "../src/introspect_token.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, exchangeInput, failureOf, grantInput, issuer, ManualClock, refreshInput, run } from "./token_fixtures.ts"

describe("authorization code single use under concurrency — RFC 6749 §4.1.2", () => {
  it("20 concurrent redemptions: exactly one TokenSet, 19 invalid_grant, and the winner's tokens end up revoked", async () => {
    const clock = new ManualClock()
    const { code } = await run(createAuthorizationCode(grantInput()), clock)
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => run(Effect.result(exchangeAuthorizationCode(exchangeInput(code))), clock))
    )
    const winners = outcomes.flatMap((o) => (o._tag === "Success" ? [o.success] : []))
    const losers = outcomes.flatMap((o) => (o._tag === "Failure" ? [o.failure] : []))
    expect(winners).toHaveLength(1)
    expect(losers.map(codeOf)).toEqual(new Array(19).fill("invalid_grant"))

    // The 19 losers are replays of a redeemed code, so the replay rule revoked what the winner was issued —
    // even where a replay landed before the winner had finished signing (ids are fixed at redemption).
    const winner = winners[0]!
    expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: winner.access_token }), clock))).toBe("invalid_token")
    expect(await run(introspectToken({ issuer, token: winner.access_token, tokenTypeHint: null, clientId: "client-a" }), clock))
      .toEqual({ active: false })
    expect(codeOf(await failureOf(refreshTokens(refreshInput(winner.refresh_token ?? "")), clock))).toBe("invalid_grant")
  })
})
