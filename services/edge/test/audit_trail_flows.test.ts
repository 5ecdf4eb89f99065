/**
 * The audit trail across the services (issue 11 §2): a real sign-in, refresh
 * and revocation through the edge make the backends (session, tokens) send
 * their events to the authrim-audit queue; identity's consumer (the auxiliary
 * worker built from its wrangler.jsonc) writes them into D1 `audit_log`,
 * read here through the edge project's TEST-ONLY `DB` binding (same id as the
 * backends' database). Each fact lands exactly once. Waits with `vi.waitFor`
 * until the consumer has written (no timed assertion).
 */
import { env } from "cloudflare:workers"
import { describe, expect, it, vi } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { jwtPayload, obtainTokens, pkcePair, postForm, redeemCode, signIn } from "./support/flows.ts"

/** The event types these flows emit from session and tokens (identity's own events are counted elsewhere). */
const FLOW_TYPES = ["session.started", "token.issued", "token.refreshed", "token.revoked", "refresh.reuse_detected", "logout", "session.ended"]

interface Row { id: string; action: string; user_id: string | null; client_id: string | null; actor_type: string; actor_id: string | null; request_id: string | null; outcome: string; metadata: string }

const rowsWhere = async (column: "client_id" | "user_id" | "resource_id", values: ReadonlyArray<string>): Promise<Array<Row>> =>
  (await env.DB.prepare(
    `SELECT * FROM audit_log WHERE ${column} IN (${values.map(() => "?").join(", ")}) AND action IN (${FLOW_TYPES.map(() => "?").join(", ")}) ORDER BY id`
  ).bind(...values, ...FLOW_TYPES).all<Row>()).results

const countsOf = (rows: ReadonlyArray<Row>): Record<string, number> =>
  Object.fromEntries([...new Set(rows.map((r) => r.action))].sort().map((a) => [a, rows.filter((r) => r.action === a).length]))

/** Waits until `read` returns the expected counts per action, then checks no event id appears twice. */
const waitForRows = async (read: () => Promise<Array<Row>>, expected: Record<string, number>): Promise<Array<Row>> => {
  let rows: Array<Row> = []
  await vi.waitFor(async () => {
    rows = await read()
    expect(countsOf(rows)).toEqual(expected)
  }, { timeout: 45_000, interval: 250 })
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length)
  return rows
}

describe("audit trail — session and tokens events reach audit_log through the queue", () => {
  it("sign-in, refresh and revocation: session.started, token.issued, token.refreshed, token.revoked, each once", async () => {
    const client = await seedClient({ skipConsent: true })
    const { user, tokens } = await obtainTokens(client, { scope: "openid profile email offline_access" })
    const refreshed = await postForm("/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }, client)
    expect(refreshed.status).toBe(200)
    const { refresh_token: rotated } = await refreshed.json<{ refresh_token: string }>()
    expect((await postForm("/revoke", { token: rotated }, client)).status).toBe(200)

    const byClient = await waitForRows(() => rowsWhere("client_id", [client.clientId]), { "token.issued": 1, "token.refreshed": 1, "token.revoked": 1 })
    const byUser = await waitForRows(() => rowsWhere("user_id", [user.id]), { "session.started": 1, "token.issued": 1, "token.refreshed": 1 })
    // (request_id/ip/user_agent come from CurrentRequest, which the edge does not provide yet: not asserted here.)
    for (const row of [...byClient, ...byUser]) expect(row.outcome).toBe("success")
    expect(byClient.find((r) => r.action === "token.issued")).toMatchObject({ actor_type: "client", actor_id: client.clientId, user_id: user.id })
    expect(JSON.parse(byClient.find((r) => r.action === "token.issued")!.metadata)).toMatchObject({ grant: "authorization_code", dpop: "no", refresh: true })
    expect(byUser.find((r) => r.action === "session.started")).toMatchObject({ actor_type: "user", actor_id: user.id })
    // No token ever reaches the log.
    const logged = JSON.stringify([...byClient, ...byUser])
    for (const secret of [tokens.access_token, tokens.refresh_token!, rotated]) expect(logged).not.toContain(secret)
  })

  it("20 concurrent sign-ins: each one's session.started and token.issued land exactly once", async () => {
    const client = await seedClient({ skipConsent: true })
    const results = await Promise.all(Array.from({ length: 20 }, () => obtainTokens(client)))
    const users = results.map((r) => r.user.id)
    await waitForRows(() => rowsWhere("client_id", [client.clientId]), { "token.issued": 20 })
    const rows = await waitForRows(() => rowsWhere("user_id", users), { "session.started": 20, "token.issued": 20 })
    for (const user of users) expect(countsOf(rows.filter((r) => r.user_id === user))).toEqual({ "session.started": 1, "token.issued": 1 })
  })

  it("refresh reuse (failure) and an RP-initiated logout: refresh.reuse_detected, logout and session.ended, each once", async () => {
    const client = await seedClient({ skipConsent: true, postLogoutRedirectUris: ["https://rp.test/logged-out"] })
    const user = await seedUser()
    const browser = new Browser()
    const { verifier, challenge } = await pkcePair()
    const callback = await signIn(browser, client, user, { code_challenge: challenge, code_challenge_method: "S256", scope: "openid offline_access" })
    const tokens = await (await redeemCode(client, callback.searchParams.get("code")!, verifier)).json<{ id_token: string; refresh_token: string }>()
    expect((await postForm("/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, client)).status).toBe(200)
    const reuse = await postForm("/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, client)
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" })
    const byClient = await waitForRows(() => rowsWhere("client_id", [client.clientId]), { "refresh.reuse_detected": 1, "token.issued": 1, "token.refreshed": 1 })
    expect(byClient.find((r) => r.action === "refresh.reuse_detected")).toMatchObject({ outcome: "failure", actor_type: "client", actor_id: client.clientId })

    const sid = String(jwtPayload(tokens.id_token)["sid"])
    const logout = new URL("/end_session", ORIGIN)
    logout.searchParams.set("id_token_hint", tokens.id_token)
    logout.searchParams.set("post_logout_redirect_uri", "https://rp.test/logged-out")
    expect((await browser.request(logout.toString())).status).toBe(303)
    const bySession = await waitForRows(() => rowsWhere("resource_id", [sid]), { "logout": 1, "session.ended": 1, "session.started": 1 })
    expect(JSON.parse(bySession.find((r) => r.action === "session.ended")!.metadata)).toEqual({ reason: "logout" })
  })
})
