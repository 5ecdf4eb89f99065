import { sha256Base64url } from "@authrim/platform"
import { env } from "cloudflare:workers"
import { runInDurableObject } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { introspectToken } from "../src/introspect_token.ts"
import { codeShardOf } from "../src/token_format.ts"
import { verifyAccessToken } from "../src/verify_access_token.ts"
import { codeOf, exchangeInput, failureOf, grantInput, issuer, ManualClock, pkcePair, refreshInput, run } from "./token_fixtures.ts"
import { Effect } from "effect"

const newCode = async (clock: ManualClock, overrides: Parameters<typeof grantInput>[0] = {}) =>
  (await run(createAuthorizationCode(grantInput(overrides)), clock)).code

describe("authorization_code grant — RFC 6749 §4.1.3", () => {
  it("redeems a code once for an access, ID and refresh token", async () => {
    const clock = new ManualClock()
    const code = await newCode(clock)
    const set = await run(exchangeAuthorizationCode(exchangeInput(code)), clock)
    expect(set).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "openid profile email offline_access" })
    expect(set.id_token).toBeTypeOf("string")
    expect(set.refresh_token).toMatch(/^rt_/)
    const again = await failureOf(exchangeAuthorizationCode(exchangeInput(code)), clock)
    expect(codeOf(again)).toBe("invalid_grant")
  })

  it("issues no refresh token when the client may not hold one, and no ID token without openid", async () => {
    const clock = new ManualClock()
    const code = await newCode(clock, { scope: "profile" })
    const set = await run(exchangeAuthorizationCode(exchangeInput(code, { issueRefreshToken: false })), clock)
    expect(set.refresh_token).toBeUndefined()
    expect(set.id_token).toBeUndefined()
  })

  it("rejects a redirect_uri different from (or missing versus) the authorization request", async () => {
    const clock = new ManualClock()
    const code = await newCode(clock)
    for (const redirectUri of ["https://rp.example/cb/", "https://evil.example/cb", null]) {
      expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(code, { redirectUri })), clock))).toBe("invalid_grant")
    }
    // A failed check does not burn the code: the legitimate request still works.
    await expect(run(exchangeAuthorizationCode(exchangeInput(code)), clock)).resolves.toHaveProperty("access_token")
  })

  it("rejects a code redeemed by another client, without consuming it", async () => {
    const clock = new ManualClock()
    const code = await newCode(clock)
    const error = await failureOf(exchangeAuthorizationCode(exchangeInput(code, { clientId: "client-b" })), clock)
    expect(codeOf(error)).toBe("invalid_grant")
    await expect(run(exchangeAuthorizationCode(exchangeInput(code)), clock)).resolves.toHaveProperty("access_token")
  })

  it("expires a code after 60 seconds", async () => {
    const clock = new ManualClock()
    const code = await newCode(clock)
    clock.advance(60_000)
    expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(code)), clock))).toBe("invalid_grant")
    const fresh = await newCode(clock)
    clock.advance(59_999)
    await expect(run(exchangeAuthorizationCode(exchangeInput(fresh)), clock)).resolves.toHaveProperty("access_token")
  })

  it("rejects unknown and malformed codes", async () => {
    const clock = new ManualClock()
    for (const code of ["ac01_" + "A".repeat(43), "nonsense", ""]) {
      expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(code)), clock))).toBe("invalid_grant")
    }
  })

  it("stores nothing for a new code, and only the SHA-256 of a redeemed one (in the shard the code names)", async () => {
    const clock = new ManualClock()
    const code = await newCode(clock)
    const shard = codeShardOf(code) ?? ""
    const hash = await Effect.runPromise(sha256Base64url(code))
    const redeemedRows = () => runInDurableObject(env.AUTHORIZATION_CODES.get(env.AUTHORIZATION_CODES.idFromName(shard)), (_i, state) =>
      state.storage.sql.exec<Record<string, SqlStorageValue>>("SELECT * FROM redeemed_codes").toArray())
    expect((await redeemedRows()).map((r) => r["code_hash"])).not.toContain(hash)
    await run(exchangeAuthorizationCode(exchangeInput(code)), clock)
    const rows = await redeemedRows()
    expect(rows.map((r) => r["code_hash"])).toContain(hash)
    expect(JSON.stringify(rows)).not.toContain(code.slice(5))
  })

  it("keeps the grant secret and tamper-proof inside the code", async () => {
    const clock = new ManualClock()
    const code = await newCode(clock, { userId: "user-secret-42", redirectUri: "https://rp.example/cb" })
    const body = code.slice(5)
    // Nothing of the grant is readable from the code (it is encrypted, not just signed).
    const decoded = atob(body.replaceAll("-", "+").replaceAll("_", "/"))
    expect(decoded).not.toContain("user-secret-42")
    expect(decoded).not.toContain("rp.example")
    // Any changed character, or the body moved to another shard, is an unknown code.
    const flipped = body.slice(0, 40) + (body[40] === "A" ? "B" : "A") + body.slice(41)
    const otherShard = code.startsWith("ac00") ? "ac01" : "ac00"
    for (const forged of [`${code.slice(0, 5)}${flipped}`, `${otherShard}_${body}`]) {
      expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(forged)), clock))).toBe("invalid_grant")
    }
    await expect(run(exchangeAuthorizationCode(exchangeInput(code)), clock)).resolves.toHaveProperty("access_token")
  })
})

describe("PKCE — RFC 7636 §4.6", () => {
  it("accepts the matching verifier", async () => {
    const clock = new ManualClock()
    const { verifier, challenge } = await pkcePair()
    const code = await newCode(clock, { codeChallenge: challenge })
    await expect(run(exchangeAuthorizationCode(exchangeInput(code, { codeVerifier: verifier })), clock)).resolves.toHaveProperty("access_token")
  })

  it("rejects a wrong verifier, a missing one, and a malformed one (invalid_grant)", async () => {
    const clock = new ManualClock()
    const { verifier, challenge } = await pkcePair()
    const other = await pkcePair()
    const code = await newCode(clock, { codeChallenge: challenge })
    for (const codeVerifier of [other.verifier, null, "short", `${verifier}!`, "a".repeat(129)]) {
      expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(code, { codeVerifier })), clock))).toBe("invalid_grant")
    }
  })

  it("rejects a verifier when no challenge was sent at authorization", async () => {
    const clock = new ManualClock()
    const code = await newCode(clock)
    const { verifier } = await pkcePair()
    expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(code, { codeVerifier: verifier })), clock))).toBe("invalid_grant")
  })

  it("refuses to store a challenge that is not S256-shaped", async () => {
    const error = await failureOf(createAuthorizationCode(grantInput({ codeChallenge: "plain-challenge" })))
    expect(codeOf(error)).toBe("invalid_request")
  })
})

describe("authorization code replay — RFC 6749 §4.1.2 / §10.5", () => {
  it("fails the second redemption and revokes every token the first one issued", async () => {
    const clock = new ManualClock()
    const code = await newCode(clock)
    const first = await run(exchangeAuthorizationCode(exchangeInput(code)), clock)
    await expect(run(verifyAccessToken({ issuer, token: first.access_token }), clock)).resolves.toHaveProperty("sub", "user-1")

    clock.advance(120_000) // replay after the code's own expiry is still a replay
    expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(code)), clock))).toBe("invalid_grant")

    expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: first.access_token }), clock))).toBe("invalid_token")
    const introspection = await run(introspectToken({ issuer, token: first.access_token, tokenTypeHint: null, clientId: "client-a" }), clock)
    expect(introspection).toEqual({ active: false })
    expect(codeOf(await failureOf(refreshTokens(refreshInput(first.refresh_token ?? "")), clock))).toBe("invalid_grant")
  })

  it("also revokes access tokens issued later by refreshing the first redemption's refresh token", async () => {
    const clock = new ManualClock()
    const code = await newCode(clock)
    const first = await run(exchangeAuthorizationCode(exchangeInput(code)), clock)
    const refreshed = await run(refreshTokens(refreshInput(first.refresh_token ?? "")), clock)
    expect(codeOf(await failureOf(exchangeAuthorizationCode(exchangeInput(code)), clock))).toBe("invalid_grant")
    expect(codeOf(await failureOf(verifyAccessToken({ issuer, token: refreshed.access_token }), clock))).toBe("invalid_token")
    expect(codeOf(await failureOf(refreshTokens(refreshInput(refreshed.refresh_token ?? "")), clock))).toBe("invalid_grant")
  })
})
