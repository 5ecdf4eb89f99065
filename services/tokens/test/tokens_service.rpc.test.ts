import { makeClient, OAuthError, RefreshFamiliesForEdgeContract, TokensContract } from "@authrim/contracts"
import { exports } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { grantInput, issuer } from "./token_fixtures.ts"

/** The entrypoint as the edge sees it, through the RPC envelope. */
const tokens = makeClient("tokens", TokensContract, exports.TokensForEdge)
const families = makeClient("tokens", RefreshFamiliesForEdgeContract, exports.TokensForEdge)

describe("TokensForEdge over RPC", () => {
  it("runs the code flow end to end and returns domain errors as values", async () => {
    const flow = Effect.gen(function*() {
      const { code } = yield* tokens.createAuthorizationCode(grantInput())
      const input = { issuer, issueRefreshToken: true, idTokenAlg: "RS256" as const, code, clientId: "client-a", redirectUri: "https://rp.example/cb", codeVerifier: null }
      const set = yield* tokens.exchangeAuthorizationCode(input)
      const replay = yield* Effect.flip(tokens.exchangeAuthorizationCode(input))
      const claims = yield* Effect.flip(tokens.verifyAccessToken({ issuer, token: set.access_token }))
      return { set, replay, claims }
    })
    const { set, replay, claims } = await Effect.runPromise(flow)
    expect(set).toMatchObject({ token_type: "Bearer", expires_in: 3600 })
    expect(replay).toBeInstanceOf(OAuthError)
    expect(replay).toMatchObject({ code: "invalid_grant" })
    expect(claims).toMatchObject({ _tag: "OAuthError", code: "invalid_token" })
  })

  it("answers introspection of unknown tokens with active:false and revocation with success", async () => {
    const result = await Effect.runPromise(Effect.all([
      tokens.introspect({ issuer, token: "nope", tokenTypeHint: "access_token", clientId: "client-a" }),
      tokens.revoke({ token: "nope", tokenTypeHint: null, clientId: "client-a" })
    ]))
    expect(result).toEqual([{ active: false }, {}])
  })

  it("ends refresh families over RPC (issue 9 §2)", async () => {
    const userId = `u-${crypto.randomUUID()}`
    const flow = Effect.gen(function*() {
      const { code } = yield* tokens.createAuthorizationCode(grantInput({ userId, sid: "s1", scope: "openid offline_access" }))
      const set = yield* tokens.exchangeAuthorizationCode({
        issuer, issueRefreshToken: true, idTokenAlg: "RS256" as const, code, clientId: "client-a", redirectUri: "https://rp.example/cb", codeVerifier: null
      })
      const session = yield* families.revokeFamiliesForSession({ userId, sid: "s1" })
      const all = yield* families.revokeAllForUser({ userId, reason: "admin_revoke_all" })
      return { set, session, all }
    })
    const { set, session, all } = await Effect.runPromise(flow)
    expect(set.refresh_token).toMatch(/^rt_/)
    expect(session).toEqual({ revoked: 0, detached: 1 })
    expect(all).toEqual({ revoked: 1 })
  })
})
