/**
 * Issue 14 through /token with the real backends: refresh rotation forgives a
 * legitimate concurrent retry. Within the tokens worker's reuse grace window
 * (REFRESH_REUSE_GRACE_SECONDS, default 10 s — what this stack runs) the token
 * a rotation rotated out replays it: the SAME successor, a fresh access token.
 * After the window, or once the successor was used, reuse still revokes the
 * whole family, and every access token it issued (replays' too) is inactive.
 */
import { describe, expect, it } from "vitest"
import { seedClient, type SeededClient } from "./support/fixtures.ts"
import { basicAuth, obtainTokens, postForm } from "./support/flows.ts"
import { productionBrowser } from "./support/production_stack.ts"
import { codeGrantFields, newDpopKey, proofFor, tokenRequest, type TokenBody } from "./support/dpop_client.ts"

/** The stack's window (the committed default; scripts/development_settings.ts does not change it). */
const GRACE_MS = 10_000

type Tokens = { access_token: string; refresh_token: string; scope: string; error?: string }

const offlineTokens = async (client: SeededClient) =>
  (await obtainTokens(client, { scope: "openid profile email offline_access" })).tokens as Tokens

const refresh = async (client: SeededClient, refreshToken: string, extra: Record<string, string> = {}) => {
  const response = await postForm("/token", { grant_type: "refresh_token", refresh_token: refreshToken, ...extra }, client)
  return { status: response.status, body: await response.json<Tokens>() }
}

const active = async (client: SeededClient, token: string) =>
  (await (await postForm("/introspect", { token }, client)).json<{ active: boolean }>()).active

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe("refresh reuse grace window — issue 14", () => {
  it("RACE: 20 concurrent refreshes with one token → all 200 with the same successor and 20 distinct live access tokens", async () => {
    const client = await seedClient({ skipConsent: true })
    const tokens = await offlineTokens(client)
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(client, tokens.refresh_token)))
    expect(results.map((r) => r.status)).toEqual(new Array(20).fill(200))
    const successors = new Set(results.map((r) => r.body.refresh_token))
    expect(successors.size).toBe(1)
    expect(successors.has(tokens.refresh_token)).toBe(false)
    expect(new Set(results.map((r) => r.body.access_token)).size).toBe(20)
    for (const r of results) expect(await active(client, r.body.access_token)).toBe(true)
    // The successor is live: it rotates.
    const next = await refresh(client, results[0]!.body.refresh_token)
    expect(next.status).toBe(200)
    expect(next.body.refresh_token).not.toBe(results[0]!.body.refresh_token)
  })

  it("a replay obeys the original request: a widening scope is invalid_scope and revokes nothing; a narrowing one replays", async () => {
    const client = await seedClient({ skipConsent: true })
    const tokens = await offlineTokens(client)
    const rotated = await refresh(client, tokens.refresh_token)
    expect(rotated.status).toBe(200)
    const widened = await refresh(client, tokens.refresh_token, { scope: "openid admin" })
    expect([widened.status, widened.body.error]).toEqual([400, "invalid_scope"])
    const narrowed = await refresh(client, tokens.refresh_token, { scope: "openid" })
    expect([narrowed.status, narrowed.body.refresh_token, narrowed.body.scope]).toEqual([200, rotated.body.refresh_token, "openid"])
    expect(await active(client, rotated.body.access_token)).toBe(true)
  })

  it("a DPoP-bound family replays only with a proof of its key (no proof: invalid_grant, nothing revoked)", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "none", skipConsent: true })
    const key = await newDpopKey()
    const first = await (await tokenRequest(client, await codeGrantFields(client), await proofFor(key, "POST", "/token"))).json<TokenBody>()
    const fields = { grant_type: "refresh_token", refresh_token: first.refresh_token! }
    const rotated = await (await tokenRequest(client, fields, await proofFor(key, "POST", "/token"))).json<TokenBody>()
    expect(rotated.refresh_token).toMatch(/^rt_/)
    const withoutProof = await tokenRequest(client, fields)
    expect([withoutProof.status, (await withoutProof.json<TokenBody>()).error]).toEqual([400, "invalid_grant"])
    const replay = await tokenRequest(client, fields, await proofFor(key, "POST", "/token"))
    expect(replay.status).toBe(200)
    const replayed = await replay.json<TokenBody>()
    expect([replayed.refresh_token, replayed.token_type]).toEqual([rotated.refresh_token, "DPoP"])
    expect(replayed.access_token).not.toBe(rotated.access_token)
  })

  it("the successor used, then the previous token inside the window → family revoked: every refresh and access token dies", async () => {
    const client = await seedClient({ skipConsent: true })
    const tokens = await offlineTokens(client)
    const rotated = await refresh(client, tokens.refresh_token)
    const replayed = await refresh(client, tokens.refresh_token)
    expect(replayed.body.refresh_token).toBe(rotated.body.refresh_token)
    const next = await refresh(client, rotated.body.refresh_token)
    expect(next.status).toBe(200)
    const reuse = await refresh(client, tokens.refresh_token)
    expect([reuse.status, reuse.body.error]).toEqual([400, "invalid_grant"])
    for (const token of [rotated.body.refresh_token, next.body.refresh_token]) expect((await refresh(client, token)).body.error).toBe("invalid_grant")
    for (const access of [tokens.access_token, rotated.body.access_token, replayed.body.access_token, next.body.access_token]) {
      expect(await active(client, access)).toBe(false)
    }
  })

  it("the previous token after the window → family revoked: the successor dies and the access tokens (a replay's too) are inactive", async () => {
    const client = await seedClient({ skipConsent: true })
    const tokens = await offlineTokens(client)
    const rotated = await refresh(client, tokens.refresh_token)
    const replayed = await refresh(client, tokens.refresh_token)
    expect([replayed.status, replayed.body.refresh_token]).toEqual([200, rotated.body.refresh_token])
    // Past the window (time only moves forward, so a slow machine only makes this later).
    await sleep(GRACE_MS + 500)
    const late = await refresh(client, tokens.refresh_token)
    expect([late.status, late.body.error]).toEqual([400, "invalid_grant"])
    expect((await refresh(client, rotated.body.refresh_token)).body.error).toBe("invalid_grant")
    for (const access of [tokens.access_token, rotated.body.access_token, replayed.body.access_token]) {
      expect(await active(client, access)).toBe(false)
    }
  })
})

describe("REFRESH_SUCCESSOR_SECRET missing in production — fail closed", () => {
  // The tokens worker logs the configuration error naming the secret (services/tokens/test/refresh_grace.test.ts); like a missing
  // AUTHORIZATION_CODE_KEY it reaches the edge as Unavailable (the refresh contract's failures: OAuthError | Unavailable).
  it("with the window on (the committed 10 s) and no secret, a refresh is a 503, never a token", async () => {
    const client = await seedClient({ skipConsent: true })
    const response = await productionBrowser().request("/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!) },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: `rt_${"A".repeat(22)}.${"B".repeat(43)}` }).toString()
    })
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({ error: "temporarily_unavailable" })
  })
})
