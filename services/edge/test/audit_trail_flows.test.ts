/**
 * The audit trail across the services (issue 11 §2): a real sign-in, refresh
 * and revocation through the edge make the backends (session, tokens) send
 * their events to the authrim-audit queue (and identity its own sign_in.*,
 * sent by the same worker that consumes them); identity's consumer (the auxiliary
 * worker built from its wrangler.jsonc) writes them into D1 `audit_log`,
 * read here through the edge project's TEST-ONLY `DB` binding (same id as the
 * backends' database). Each fact lands exactly once. Waits with `vi.waitFor`
 * until the consumer has written (no timed assertion).
 */
import { env, exports } from "cloudflare:workers"
import { describe, expect, it, vi } from "vitest"
import { Browser, ORIGIN } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, jwtPayload, obtainTokens, pkcePair, postForm, redeemCode, signIn, submitLoginForm } from "./support/flows.ts"

/** The event types these flows emit from session and tokens (identity's own events are counted elsewhere). */
const FLOW_TYPES = ["session.started", "token.issued", "token.refreshed", "token.revoked", "refresh.reuse_detected", "logout", "session.ended"]

interface Row {
  id: string; action: string; user_id: string | null; client_id: string | null; actor_type: string; actor_id: string | null
  request_id: string | null; ip: string | null; user_agent: string | null; outcome: string; metadata: string
}

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
    // (request_id/ip/user_agent come from CurrentRequest: asserted for identity's sign-in events below.)
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
    const rotated = await postForm("/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, client)
    expect(rotated.status).toBe(200)
    // Issue 14: the successor used, so the old token is reuse, not a replay within the grace window.
    const successor = (await rotated.json<{ refresh_token: string }>()).refresh_token
    expect((await postForm("/token", { grant_type: "refresh_token", refresh_token: successor }, client)).status).toBe(200)
    const reuse = await postForm("/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, client)
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" })
    const byClient = await waitForRows(() => rowsWhere("client_id", [client.clientId]), { "refresh.reuse_detected": 1, "token.issued": 1, "token.refreshed": 2 })
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

/** A browser whose requests carry what Cloudflare adds (client IP, a ray id per request) and a user agent; remembers the ray of each password POST. */
const auditedBrowser = (ip: string, userAgent: string) => {
  const passwordPosts: Array<string> = []
  const browser = new Browser(async (request) => {
    const ray = `ray-${crypto.randomUUID()}`
    const headers = new Headers(request.headers)
    headers.set("cf-connecting-ip", ip)
    headers.set("user-agent", userAgent)
    headers.set("cf-ray", ray)
    if (request.method === "POST" && new URLSearchParams(await request.clone().text()).has("password")) passwordPosts.push(ray)
    return exports.default.fetch(new Request(request, { headers }))
  })
  return { browser, passwordPosts }
}

describe("audit trail — identity's sign-in events reach audit_log with the request's ip, user agent and id", () => {
  const SIGN_IN = ["sign_in.succeeded", "sign_in.failed"]
  const signInRows = async (userId: string): Promise<Array<Row>> =>
    (await env.DB.prepare(
      `SELECT * FROM audit_log WHERE user_id = ? AND action IN (${SIGN_IN.map(() => "?").join(", ")}) ORDER BY id`
    ).bind(userId, ...SIGN_IN).all<Row>()).results

  it("a wrong password then the right one: sign_in.failed and sign_in.succeeded, each once, never the password", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const { browser, passwordPosts } = auditedBrowser("203.0.113.77", "audit-test-agent/1.0")
    const page = await browser.follow(await browser.request(authorizeUrl(client.clientId)))
    const wrong = "wrong-password-" + crypto.randomUUID()
    const refused = await submitLoginForm(browser, page, { email: user.email, password: wrong })
    expect(refused.status).toBe(401)
    expect(await refused.clone().text()).toContain("name=\"password\"")
    const accepted = await browser.follow(await submitLoginForm(browser, refused, user))
    expect(accepted.status).toBe(303)
    expect(passwordPosts).toHaveLength(2)

    const rows = await waitForRows(() => signInRows(user.id), { "sign_in.failed": 1, "sign_in.succeeded": 1 })
    const failed = rows.find((r) => r.action === "sign_in.failed")!
    const succeeded = rows.find((r) => r.action === "sign_in.succeeded")!
    expect(failed).toMatchObject({ outcome: "failure", actor_type: "user", actor_id: user.id, ip: "203.0.113.77", user_agent: "audit-test-agent/1.0", request_id: passwordPosts[0] })
    expect(JSON.parse(failed.metadata)).toMatchObject({ method: "password", reason: "wrong_password" })
    expect(succeeded).toMatchObject({ outcome: "success", actor_type: "user", actor_id: user.id, ip: "203.0.113.77", user_agent: "audit-test-agent/1.0", request_id: passwordPosts[1] })
    expect(JSON.parse(succeeded.metadata)).toMatchObject({ method: "password", amr: "pwd" })
    const logged = JSON.stringify(rows)
    for (const secret of [user.password, wrong]) expect(logged).not.toContain(secret)
  })
})
