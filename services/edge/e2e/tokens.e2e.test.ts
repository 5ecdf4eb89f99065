import * as oidc from "openid-client"
import { describe, expect, it } from "vitest"
import { basicCredentials, redeem, redirectUri, rpFor, signIn, postToken } from "./rp.ts"

const bodyError = (e: unknown) => (e as oidc.ResponseBodyError).error

describe("Refresh token rotation — OAuth 2.1 §4.3.1 / RFC 9700 §4.14, issue 14 grace window", () => {
  it("rotates on every use; once the new token was used, reusing the old one fails and kills the family", async () => {
    const config = await rpFor("e2e-basic")
    const first = await redeem(config, await signIn(config))
    const second = await oidc.refreshTokenGrant(config, first.refresh_token!)
    expect(second.refresh_token).toBeTruthy()
    expect(second.refresh_token).not.toBe(first.refresh_token)
    const third = await oidc.refreshTokenGrant(config, second.refresh_token!)
    expect(bodyError(await oidc.refreshTokenGrant(config, first.refresh_token!).catch((e: unknown) => e))).toBe("invalid_grant")
    expect(bodyError(await oidc.refreshTokenGrant(config, third.refresh_token!).catch((e: unknown) => e))).toBe("invalid_grant")
    expect((await oidc.tokenIntrospection(config, third.access_token)).active).toBe(false)
  })

  it("20 concurrent refreshes of one token (openid-client) inside the grace window: all succeed with the same successor", async () => {
    const config = await rpFor("e2e-basic")
    const tokens = await redeem(config, await signIn(config))
    const results = await Promise.all(Array.from({ length: 20 }, () => oidc.refreshTokenGrant(config, tokens.refresh_token!)))
    expect(new Set(results.map((r) => r.refresh_token)).size).toBe(1)
    expect(results[0]!.refresh_token).not.toBe(tokens.refresh_token)
    expect(new Set(results.map((r) => r.access_token)).size).toBe(20)
    // The raw endpoint agrees: one more retry inside the window gets that successor too.
    const retry = await postToken({ grant_type: "refresh_token", refresh_token: tokens.refresh_token! }, basicCredentials)
    expect(((await retry.json()) as { refresh_token?: string }).refresh_token).toBe(results[0]!.refresh_token)
  })
})

describe("Revocation and introspection — RFC 7009 / RFC 7662", () => {
  it("a revoked access token introspects inactive and no longer reaches userinfo", async () => {
    const config = await rpFor("e2e-basic")
    const tokens = await redeem(config, await signIn(config))
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true)
    await oidc.tokenRevocation(config, tokens.access_token)
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false)
    const error = await oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(oidc.WWWAuthenticateChallengeError)
  })

  it("a revoked refresh token introspects inactive and cannot be used", async () => {
    const config = await rpFor("e2e-basic")
    const tokens = await redeem(config, await signIn(config))
    await oidc.tokenRevocation(config, tokens.refresh_token!)
    expect((await oidc.tokenIntrospection(config, tokens.refresh_token!)).active).toBe(false)
    expect(bodyError(await oidc.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e))).toBe("invalid_grant")
  })
})

describe("Authorization code replay — RFC 6749 §4.1.2", () => {
  it("a second redemption fails and revokes the tokens of the first", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signIn(config)
    const tokens = await redeem(config, flow)
    const code = flow.url.searchParams.get("code")!
    const replay = await postToken({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: flow.codeVerifier }, basicCredentials)
    expect(replay.status).toBe(400)
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant")
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false)
    expect(bodyError(await oidc.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e))).toBe("invalid_grant")
  })

  // Issue 9 §2 (as in services/tokens/test/authorization_code.concurrency.test.ts): the code is consumed once, and the
  // replays revoke what it issued — when they revoke the refresh family before the winner creates it, the winner
  // hears invalid_grant too. What must hold: at most one token response, the rest invalid_grant, nothing left alive.
  it("20 concurrent redemptions of one code: at most one token response, the rest invalid_grant, its access token revoked", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signIn(config)
    const code = flow.url.searchParams.get("code")!
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        postToken({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: flow.codeVerifier }, basicCredentials))
    )
    const winners = responses.filter((r) => r.status === 200)
    expect(winners.length).toBeLessThanOrEqual(1)
    const errors = await Promise.all(responses.filter((r) => r.status !== 200).map((r) => r.json() as Promise<{ error: string }>))
    expect(errors.map((e) => e.error)).toEqual(Array(20 - winners.length).fill("invalid_grant"))
    for (const winner of winners) {
      const { access_token: accessToken } = (await winner.json()) as { access_token: string }
      const userinfo = await fetch(config.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${accessToken}` } })
      expect(userinfo.status).toBe(401)
    }
  })
})

describe("Unknown client at the token endpoint — RFC 6749 §5.2", () => {
  it("answers invalid_client with 401 and a Basic challenge", async () => {
    const res = await postToken({ grant_type: "authorization_code", code: "x", redirect_uri: redirectUri }, { id: "nobody", secret: "nothing" })
    expect(res.status).toBe(401)
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic/)
    expect(((await res.json()) as { error: string }).error).toBe("invalid_client")
    expect(res.headers.get("cache-control")).toContain("no-store")
  })
})
