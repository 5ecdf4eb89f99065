/**
 * checkAccessTokenUse (issue 10): the edge verifies access tokens itself and
 * asks the tokens service only what it alone knows — revocation, and a DPoP
 * proof's verdict in the same call.
 */
import { makeClient, TokensContract } from "@authrim/contracts"
import { exports } from "cloudflare:workers"
import { Effect } from "effect"
import { decodeJwt } from "jose"
import { describe, expect, it } from "vitest"
import { revokeToken } from "../src/revoke_token.ts"
import { athOf, makeProof, newDpopKey } from "./dpop_fixtures.ts"
import { ManualClock, run, signIn } from "./token_fixtures.ts"

/** The entrypoint as the edge sees it, through the RPC envelope. */
const tokens = makeClient("tokens", TokensContract, exports.TokensForEdge)
const jtiOf = (accessToken: string) => String(decodeJwt(accessToken).jti)

describe("checkAccessTokenUse — RFC 7009 revocation, RFC 9449 §7 at a resource", () => {
  it("says revoked only once the token was revoked", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    const jti = jtiOf(set.access_token)
    expect(await Effect.runPromise(tokens.checkAccessTokenUse({ jti }))).toEqual({ revoked: false })
    await run(revokeToken({ token: set.access_token, tokenTypeHint: null, clientId: "client-a" }), clock)
    expect(await Effect.runPromise(tokens.checkAccessTokenUse({ jti }))).toEqual({ revoked: true })
  })

  it("checks a DPoP proof in the same call and accepts its jti once", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    const key = await newDpopKey()
    const htu = "https://op.example/userinfo"
    const proof = await makeProof(key, clock, { htm: "GET", htu, ath: await athOf(set.access_token) })
    const dpop = { proof, htm: "GET", htu, accessToken: set.access_token, nonceRequired: false }
    const first = await Effect.runPromise(tokens.checkAccessTokenUse({ jti: jtiOf(set.access_token), dpop }))
    expect(first).toMatchObject({ revoked: false, dpop: { valid: true, jkt: key.jkt } })
    const replay = await Effect.runPromise(tokens.checkAccessTokenUse({ jti: jtiOf(set.access_token), dpop }))
    expect(replay).toMatchObject({ revoked: false, dpop: { valid: false, error: "invalid_dpop_proof" } })
  })
})
