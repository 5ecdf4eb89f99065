/**
 * TokensForResourceServers (issue 13 §1) through the RPC envelope, as a
 * consumer Worker's binding sees it: RFC 9068 §4 validation with the resource
 * server's audience, RFC 7009 revocation, RFC 9449 §7 DPoP at a resource,
 * RFC 6750 §3.1 scopes, RFC 7662 introspection — and ugly input.
 */
import { AccessTokenRefused, accessTokenAudience, makeClient, Misconfigured, ResourceServerContract, type VerifyAccessTokenRequest } from "@authrim/contracts"
import { exports } from "cloudflare:workers"
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { revokeToken } from "../src/revoke_token.ts"
import { athOf, makeProof, newDpopKey } from "./dpop_fixtures.ts"
import { exchangeInput, grantInput, issuer, ManualClock, run, signIn } from "./token_fixtures.ts"

const rs = makeClient("tokens", ResourceServerContract, exports.TokensForResourceServers)
const audience = accessTokenAudience(issuer)
const notes = "https://notes.example/notes"

const verify = (input: Partial<VerifyAccessTokenRequest> & { token: string }) =>
  Effect.runPromise(rs.verifyAccessToken({ issuer, audience, ...input }))

/** The refusal a verification ends with (fails the test when it succeeds). */
const refusal = async (input: Partial<VerifyAccessTokenRequest> & { token: string }): Promise<AccessTokenRefused> => {
  const exit = await Effect.runPromiseExit(rs.verifyAccessToken({ issuer, audience, ...input }))
  if (Exit.isSuccess(exit)) throw new Error(`expected a refusal, got ${JSON.stringify(exit.value)}`)
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  if (failure === undefined || !(failure.error instanceof AccessTokenRefused)) throw new Error(`expected AccessTokenRefused: ${Cause.pretty(exit.cause)}`)
  return failure.error
}

const boundTokens = async (clock: ManualClock, jkt: string) => {
  const { code } = await run(createAuthorizationCode(grantInput()), clock)
  return run(exchangeAuthorizationCode(exchangeInput(code, { dpopJkt: jkt })), clock)
}

describe("verifyAccessToken — RFC 9068 §4, RFC 6750 §3.1", () => {
  it("accepts a valid Bearer token and answers its claims", async () => {
    const set = await signIn(new ManualClock())
    const claims = await verify({ token: set.access_token })
    expect(claims).toMatchObject({ sub: "user-1", clientId: "client-a", iss: issuer, aud: [audience], tokenType: "Bearer", clientOnly: false, sid: "sid-123" })
    expect(claims.scopes).toEqual(["openid", "profile", "email", "offline_access"])
    expect(claims).not.toHaveProperty("jkt")
  })

  it("refuses an expired token, a token for another audience or issuer — invalid_token, Bearer challenge", async () => {
    const expired = await signIn(new ManualClock(Date.now() - 2 * 3_600_000))
    expect(await refusal({ token: expired.access_token })).toMatchObject({ error: "invalid_token", status: 401, scheme: "Bearer", description: "access token expired" })
    const set = await signIn(new ManualClock())
    expect(await refusal({ token: set.access_token, audience: "https://other-api.example" }))
      .toMatchObject({ error: "invalid_token", description: "access token is not for this audience" })
    expect(await refusal({ token: set.access_token, issuer: "https://evil.example" })).toMatchObject({ error: "invalid_token" })
  })

  it("refuses a revoked token (RFC 7009)", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    await verify({ token: set.access_token })
    await run(revokeToken({ token: set.access_token, tokenTypeHint: null, clientId: "client-a" }), clock)
    expect(await refusal({ token: set.access_token })).toMatchObject({ error: "invalid_token", description: "access token revoked" })
  })

  it("insists on the required scopes: insufficient_scope, 403, naming them", async () => {
    const set = await signIn(new ManualClock())
    expect(await verify({ token: set.access_token, requiredScopes: ["profile", "email"] })).toMatchObject({ sub: "user-1" })
    expect(await refusal({ token: set.access_token, requiredScopes: ["profile", "notes:write"] }))
      .toMatchObject({ error: "insufficient_scope", status: 403, scope: "profile notes:write", scheme: "Bearer" })
  })

  it("refuses ugly tokens as invalid_token, never a defect", async () => {
    for (const token of ["", "x", "a.b.c", "🙂".repeat(40), "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "A".repeat(20_000)]) {
      expect(await refusal({ token })).toMatchObject({ error: "invalid_token", status: 401 })
    }
  })

  it("an empty issuer or audience is the resource server's own misconfiguration (Misconfigured), not the client's fault", async () => {
    const set = await signIn(new ManualClock())
    for (const [field, input] of [["audience", { audience: "" }], ["issuer", { issuer: "" }]] as const) {
      const exit = await Effect.runPromiseExit(rs.verifyAccessToken({ issuer, audience, token: set.access_token, ...input }))
      const failure = Exit.isFailure(exit) ? exit.cause.reasons.find(Cause.isFailReason)?.error : undefined
      expect(failure).toBeInstanceOf(Misconfigured)
      expect(failure).toMatchObject({ setting: field })
    }
  })
})

describe("verifyAccessToken with DPoP — RFC 9449 §7", () => {
  it("accepts a bound token under DPoP with a valid proof made with the bound key; the proof's jti only once", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const set = await boundTokens(clock, key.jkt)
    const proof = await makeProof(key, clock, { htm: "GET", htu: notes, ath: await athOf(set.access_token) })
    const dpop = { proof, method: "GET", url: `${notes}?page=2` }
    expect(await verify({ token: set.access_token, dpop })).toMatchObject({ tokenType: "DPoP", jkt: key.jkt })
    expect(await refusal({ token: set.access_token, dpop })).toMatchObject({ error: "invalid_dpop_proof", scheme: "DPoP", description: "DPoP proof jti was already used" })
  })

  it("refuses a bound token without a proof, or under Bearer, with a DPoP challenge", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const set = await boundTokens(clock, key.jkt)
    expect(await refusal({ token: set.access_token })).toMatchObject({ error: "invalid_token", scheme: "DPoP", status: 401 })
    expect(await refusal({ token: set.access_token, scheme: "DPoP" })).toMatchObject({ error: "invalid_token", scheme: "DPoP", description: "a DPoP proof is required with a DPoP-bound access token" })
    const proof = await makeProof(key, clock, { htm: "GET", htu: notes, ath: await athOf(set.access_token) })
    expect(await refusal({ token: set.access_token, scheme: "Bearer", dpop: { proof, method: "GET", url: notes } })).toMatchObject({ error: "invalid_token", scheme: "DPoP" })
  })

  it("refuses a proof of another key, another method or URL, without ath, or garbage — invalid_dpop_proof", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const other = await newDpopKey()
    const set = await boundTokens(clock, key.jkt)
    const ath = await athOf(set.access_token)
    const cases = [
      { proof: await makeProof(other, clock, { htm: "GET", htu: notes, ath }), method: "GET", url: notes },
      { proof: await makeProof(key, clock, { htm: "POST", htu: notes, ath }), method: "GET", url: notes },
      { proof: await makeProof(key, clock, { htm: "GET", htu: "https://notes.example/other", ath }), method: "GET", url: notes },
      { proof: await makeProof(key, clock, { htm: "GET", htu: notes }), method: "GET", url: notes },
      { proof: await makeProof(key, clock, { htm: "GET", htu: notes, ath }), method: "GET", url: "not a url" },
      { proof: "not.a.proof", method: "GET", url: notes },
      { proof: "", method: "", url: "" }
    ]
    for (const dpop of cases) {
      expect(await refusal({ token: set.access_token, dpop })).toMatchObject({ error: "invalid_dpop_proof", scheme: "DPoP", status: 401 })
    }
  })

  it("refuses an unbound token under the DPoP scheme (the client asked for a binding it does not have)", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const set = await signIn(clock)
    const proof = await makeProof(key, clock, { htm: "GET", htu: notes, ath: await athOf(set.access_token) })
    expect(await refusal({ token: set.access_token, dpop: { proof, method: "GET", url: notes } })).toMatchObject({ error: "invalid_token", scheme: "DPoP" })
  })
})

describe("introspect for a resource server — RFC 7662 §2.2", () => {
  it("active with the token's claims for its audience; inactive for another audience, revoked, garbage or a refresh token", async () => {
    const clock = new ManualClock()
    const set = await signIn(clock)
    const introspect = (token: string, aud = audience) => Effect.runPromise(rs.introspect({ token, issuer, audience: aud }))
    expect(await introspect(set.access_token)).toMatchObject({ active: true, sub: "user-1", client_id: "client-a", token_type: "Bearer", aud: audience })
    expect(await introspect(set.access_token, "https://other-api.example")).toEqual({ active: false })
    expect(await introspect(set.refresh_token ?? "")).toEqual({ active: false })
    expect(await introspect("garbage")).toEqual({ active: false })
    expect(await introspect(set.access_token, "")).toEqual({ active: false })
    await run(revokeToken({ token: set.access_token, tokenTypeHint: null, clientId: "client-a" }), clock)
    expect(await introspect(set.access_token)).toEqual({ active: false })
  })
})
