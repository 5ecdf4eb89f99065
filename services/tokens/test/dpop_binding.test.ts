import { describe, expect, it } from "vitest"
import { decodeJwt } from "jose"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { introspectToken } from "../src/introspect_token.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { newDpopKey } from "./dpop_fixtures.ts"
import { codeOf, exchangeInput, failureOf, grantInput, issuer, ManualClock, refreshInput, run } from "./token_fixtures.ts"

/** Code → TokenSet with a DPoP proof key; `publicClient` binds the refresh family as the edge does for public clients. */
const signInWithDpop = async (clock: ManualClock, jkt: string, publicClient: boolean) => {
  const { code } = await run(createAuthorizationCode(grantInput()), clock)
  return run(exchangeAuthorizationCode(exchangeInput(code, { dpopJkt: jkt, bindRefreshToDpop: publicClient })), clock)
}

describe("DPoP-bound access tokens — RFC 9449 §5, §6", () => {
  it("a token request with a proof gets token_type DPoP and an access token carrying cnf.jkt", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const tokens = await signInWithDpop(clock, key.jkt, false)
    expect(tokens.token_type).toBe("DPoP")
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: key.jkt })
    expect(await run(verifyAccessToken({ issuer, token: tokens.access_token }), clock)).toMatchObject({ jkt: key.jkt })
  })

  it("without a proof the access token stays a Bearer token with no cnf", async () => {
    const clock = new ManualClock()
    const { code } = await run(createAuthorizationCode(grantInput()), clock)
    const tokens = await run(exchangeAuthorizationCode(exchangeInput(code)), clock)
    expect(tokens.token_type).toBe("Bearer")
    expect(decodeJwt(tokens.access_token).cnf).toBeUndefined()
    expect(await run(verifyAccessToken({ issuer, token: tokens.access_token }), clock)).not.toHaveProperty("jkt")
  })

  it("introspection of a bound token returns cnf.jkt and token_type DPoP (§6.2)", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const tokens = await signInWithDpop(clock, key.jkt, false)
    const result = await run(introspectToken({ issuer, token: tokens.access_token, tokenTypeHint: null, clientId: "client-a" }), clock)
    expect(result).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: key.jkt } })
  })
})

describe("DPoP-bound refresh tokens of public clients — RFC 9449 §5", () => {
  it("refreshing needs a proof with the same key; without one or with another key it is invalid_grant", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const other = await newDpopKey()
    const tokens = await signInWithDpop(clock, key.jkt, true)
    const refreshToken = tokens.refresh_token ?? ""
    expect(codeOf(await failureOf(refreshTokens(refreshInput(refreshToken)), clock))).toBe("invalid_grant")
    expect(codeOf(await failureOf(refreshTokens(refreshInput(refreshToken, { dpopJkt: other.jkt })), clock))).toBe("invalid_grant")
    // The refused attempts neither rotated nor revoked the family: the holder of the key still refreshes.
    const refreshed = await run(refreshTokens(refreshInput(refreshToken, { dpopJkt: key.jkt })), clock)
    expect(refreshed.token_type).toBe("DPoP")
    expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt: key.jkt })
    // The binding carries over to the rotated token.
    expect(codeOf(await failureOf(refreshTokens(refreshInput(refreshed.refresh_token ?? "", { dpopJkt: other.jkt })), clock))).toBe("invalid_grant")
  })

  it("a confidential client's refresh token is not key-bound (§5): it refreshes without a proof", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const tokens = await signInWithDpop(clock, key.jkt, false)
    const refreshed = await run(refreshTokens(refreshInput(tokens.refresh_token ?? "")), clock)
    expect(refreshed.token_type).toBe("Bearer")
    const other = await newDpopKey()
    const rebound = await run(refreshTokens(refreshInput(refreshed.refresh_token ?? "", { dpopJkt: other.jkt })), clock)
    expect(decodeJwt(rebound.access_token).cnf).toEqual({ jkt: other.jkt })
  })
})
