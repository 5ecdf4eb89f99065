/**
 * User administration across the services (issue 12 §1): the admin API's
 * operations (src/admin/user_admin_operations.ts) called directly against the
 * real backends (auxiliary workers), checked through the edge's public
 * endpoints as a user and an RP would notice: a disabled user's password
 * sign-in fails, their open browser session no longer yields codes and their
 * refresh token is `invalid_grant`; enabled again, they sign in; a deleted
 * user's tokens are dead and their rows gone; a revoked consent brings the
 * consent page back and kills that client's refresh tokens.
 */
import type { Session } from "@authrim/contracts"
import { env } from "cloudflare:workers"
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it, vi } from "vitest"
import {
  deleteUser,
  disableUser,
  enableUser,
  exportUser,
  listSessions,
  revokeAllSessions,
  revokeConsent,
  revokeSession
} from "../src/admin/user_admin_operations.ts"
import type { AdminBackends } from "../src/admin_backends.ts"
import { Edge, edgeLayer } from "../src/edge_layer.ts"
import { Browser, ORIGIN } from "./support/browser.ts"
import { seedClient, seedUser, type SeededClient, type SeededUser } from "./support/fixtures.ts"
import { latestMailedLink, requestMagicLink, startLogin } from "./support/email_flows.ts"
import { authorizeUrl, callbackOf, pkcePair, postForm, redeemCode, signIn, submitLoginForm } from "./support/flows.ts"
import { openPasskeyPage, registerPasskey, submitAssertion } from "./support/passkey_flows.ts"
import { SoftwareAuthenticator } from "./support/software_authenticator.ts"

const ctx = { issuer: ORIGIN }
const ADMIN = "admin-of-the-tests"

/** Runs an operation against the real backends; a typed failure rejects with it. */
const run = async <A, E>(operation: Effect.Effect<A, E, Edge>): Promise<A> => {
  const exit = await Effect.runPromiseExit(operation.pipe(Effect.provide(edgeLayer(env))))
  if (Exit.isSuccess(exit)) return exit.value
  const reason = exit.cause.reasons.find(Cause.isFailReason)
  throw reason === undefined ? Cause.squash(exit.cause) : reason.error
}

/** Signs `user` in with a browser of its own and redeems the code: the browser (with its session) and the tokens. */
const signedIn = async (client: SeededClient, user: SeededUser, scope = "openid email offline_access") => {
  const browser = new Browser()
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(browser, client, user, { code_challenge: challenge, code_challenge_method: "S256", scope, prompt: "consent" })
  const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
  expect(response.status).toBe(200)
  return { browser, tokens: await response.json<{ access_token: string; refresh_token?: string }>() }
}

const refresh = async (client: SeededClient, refreshToken: string) => {
  const response = await postForm("/token", { grant_type: "refresh_token", refresh_token: refreshToken }, client)
  return { status: response.status, body: await response.json<{ error?: string; refresh_token?: string }>() }
}

/** What the browser's next authorization request for `client` shows: a code, the login page or the consent page. */
const nextAuthorization = async (browser: Browser, client: SeededClient) => {
  const { challenge } = await pkcePair()
  // Scopes within what `signedIn` consented to: only a revoked consent brings the consent page back.
  const response = await browser.follow(await browser.request(authorizeUrl(client.clientId, { code_challenge: challenge, code_challenge_method: "S256", scope: "openid email" })))
  if (response.status === 303 && new URL(response.headers.get("location")!).searchParams.has("code")) return "code"
  const text = await response.text()
  if (text.includes("name=\"decision\"")) return "consent"
  if (text.includes("name=\"password\"")) return "login"
  return `other ${response.status}`
}

/** A fresh browser's password sign-in: "code" when it reached the RP, else the page's status. */
const passwordSignIn = async (client: SeededClient, user: SeededUser) => {
  const browser = new Browser()
  const { challenge } = await pkcePair()
  const page = await browser.follow(await browser.request(authorizeUrl(client.clientId, { code_challenge: challenge, code_challenge_method: "S256" })))
  const answer = await browser.follow(await submitLoginForm(browser, page, user))
  if (answer.status === 303 && new URL(answer.headers.get("location")!).searchParams.has("code")) return { outcome: "code" as const, text: "" }
  return { outcome: answer.status, text: await answer.text() }
}

const userinfoStatus = async (accessToken: string) =>
  (await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${accessToken}` } })).status

describe("the identity RPC's typed failures reach the edge decoded (what the admin API maps to HTTP)", () => {
  it("UserVersionConflict (412), EmailAddressTaken (409), UserAdminInvalidInput naming the field (400), NotFound (404)", async () => {
    const api = <A, E>(call: (userAdmin: AdminBackends["userAdmin"]) => Effect.Effect<A, E>) => Edge.use((edge) => call(edge.adminBackends.userAdmin))
    const created = await run(api((userAdmin) => userAdmin.createUser({ adminUserId: ADMIN, email: `rpc-${crypto.randomUUID()}@example.test`, name: "R" })))
    const taken = await seedUser()
    const failure = (call: Effect.Effect<unknown, unknown, Edge>) => run(call).then(() => "succeeded", (error: { _tag: string }) => error)
    await run(api((userAdmin) => userAdmin.updateUser({ adminUserId: ADMIN, userId: created.id, expectedVersion: 1, name: "R2" })))
    expect(await failure(api((userAdmin) => userAdmin.updateUser({ adminUserId: ADMIN, userId: created.id, expectedVersion: 1, name: "R3" }))))
      .toMatchObject({ _tag: "UserVersionConflict", currentVersion: 2 })
    expect(await failure(api((userAdmin) => userAdmin.updateUser({ adminUserId: ADMIN, userId: created.id, expectedVersion: 2, email: taken.email }))))
      .toMatchObject({ _tag: "EmailAddressTaken" })
    expect(await failure(api((userAdmin) => userAdmin.searchUsers({ limit: 1000 }))))
      .toMatchObject({ _tag: "UserAdminInvalidInput", field: "limit" })
    expect(await failure(api((userAdmin) => userAdmin.getUserDetail({ userId: "no-such-user" })))).toMatchObject({ _tag: "NotFound" })
    expect(await run(api((userAdmin) => userAdmin.getUserDetail({ userId: created.id })))).toMatchObject({ user: { name: "R2", version: 2 }, hasPassword: false })
  })
})

describe("disableUser / enableUser", () => {
  it("disabled: password sign-in refused (generic), the open session yields no code, refresh → invalid_grant; enabled: signs in again", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const { browser, tokens } = await signedIn(client, user)
    expect(await nextAuthorization(browser, client)).toBe("code")

    const disabled = await run(disableUser(ctx, { adminUserId: ADMIN, userId: user.id }))
    expect(disabled).toMatchObject({ changed: true, user: { id: user.id, disabled: true } })

    expect(await refresh(client, tokens.refresh_token!)).toEqual({ status: 400, body: expect.objectContaining({ error: "invalid_grant" }) })
    expect(await userinfoStatus(tokens.access_token)).toBe(401)
    expect(await nextAuthorization(browser, client)).toBe("login")
    const refused = await passwordSignIn(client, user)
    expect(refused.outcome).toBe(401)
    expect(refused.text).toContain("Incorrect email or password.") // the same answer as a wrong password: no account enumeration
    expect(await run(listSessions(user.id))).toEqual([])

    // A retry (e.g. after a partial failure) completes without harm.
    expect(await run(disableUser(ctx, { adminUserId: ADMIN, userId: user.id }))).toMatchObject({ changed: false })

    expect(await run(enableUser({ adminUserId: ADMIN, userId: user.id }))).toMatchObject({ changed: true, user: { disabled: false } })
    expect((await passwordSignIn(client, user)).outcome).toBe("code")
    const again = await signedIn(client, user)
    expect((await refresh(client, again.tokens.refresh_token!)).status).toBe(200)

    // Audited by identity with the acting admin (through the queue into audit_log).
    await vi.waitFor(async () => {
      const { results } = await env.DB.prepare("SELECT actor_type, actor_id, metadata FROM audit_log WHERE user_id = ? AND action = 'admin.action' ORDER BY id")
        .bind(user.id).all<{ actor_type: string; actor_id: string; metadata: string }>()
      expect(results.map((r) => JSON.parse(r.metadata).operation)).toEqual(["user.disabled", "user.disabled", "user.enabled"])
      for (const r of results) expect(r).toMatchObject({ actor_type: "admin", actor_id: ADMIN })
    }, { timeout: 45_000, interval: 250 })
  })
})

describe("disable races (issue 12: the window between a sign-in or refresh in flight and the disable)", () => {
  it("refresh chains running while the user is disabled: afterwards no refresh succeeds and no session is left", async () => {
    const client = await seedClient({ scope: "openid email offline_access" })
    const user = await seedUser()
    const starts = await Promise.all([1, 2, 3].map(() => signedIn(client, user)))
    const latest = starts.map((s) => s.tokens.refresh_token!)
    // Each chain rotates its family as fast as it can until refused; the disable runs in the middle of them.
    const chain = async (i: number) => {
      for (let step = 0; step < 6; step++) {
        const answer = await refresh(client, latest[i]!)
        if (answer.status !== 200) return
        latest[i] = answer.body.refresh_token!
      }
    }
    await Promise.all([chain(0), chain(1), chain(2), run(disableUser(ctx, { adminUserId: ADMIN, userId: user.id }))])
    for (const token of latest) expect((await refresh(client, token)).body.error).toBe("invalid_grant")
    expect(await run(listSessions(user.id))).toEqual([])
  })

  it("sessions created while the disable runs: each is swept or refused — none is left; enable lifts the block", async () => {
    const user = await seedUser()
    const open = () => env.SESSION.create({ userId: user.id, amr: ["pwd"], acr: null, authTime: Date.now(), deviceName: null, ipAddress: null, userAgent: null })
    await Promise.all([
      Promise.all(Array.from({ length: 12 }, open)),
      run(disableUser(ctx, { adminUserId: ADMIN, userId: user.id }))
    ])
    expect(await run(listSessions(user.id))).toEqual([])
    // After the disable every new session of the user is refused (a sign-in accepted just before it cannot land).
    expect((await open())._tag).toBe("Failure")
    await run(enableUser({ adminUserId: ADMIN, userId: user.id }))
    expect((await open())._tag).toBe("Success")
  })
})

describe("disabled: every other sign-in method refuses too", () => {
  it("passkey: the page says the account is disabled (the person proved who they are); a magic link asked before the disable yields no code", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const authenticator = new SoftwareAuthenticator()
    await registerPasskey(user.id, authenticator)
    const linkBrowser = new Browser()
    const login = await startLogin(linkBrowser, client.clientId)
    expect((await requestMagicLink(linkBrowser, login.tx, user.email)).status).toBe(200)
    const link = (await latestMailedLink(user.email))!
    expect(link).not.toBeNull()

    await run(disableUser(ctx, { adminUserId: ADMIN, userId: user.id }))
    const passkeyBrowser = new Browser()
    const { response } = await submitAssertion(passkeyBrowser, await openPasskeyPage(passkeyBrowser, client.clientId), authenticator)
    expect(response.status).toBe(403)
    expect(await response.text()).toContain("This account is disabled.")
    const opened = await linkBrowser.follow(await linkBrowser.request(link))
    expect(opened.status).toBe(400)
    expect(opened.headers.get("location")).toBeNull()
    expect(await run(listSessions(user.id))).toEqual([])

    await run(enableUser({ adminUserId: ADMIN, userId: user.id }))
    const again = new Browser()
    const { response: signedInAgain } = await submitAssertion(again, await openPasskeyPage(again, client.clientId), authenticator)
    expect(callbackOf(signedInAgain).searchParams.get("code")).toBeTruthy()
  })
})

describe("deleteUser", () => {
  it("tokens dead, sessions gone, every identity row gone; unknown user answers deleted: false", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const { browser, tokens } = await signedIn(client, user)

    expect(await run(deleteUser(ctx, { adminUserId: ADMIN, userId: user.id }))).toEqual({ deleted: true })
    expect((await refresh(client, tokens.refresh_token!)).body.error).toBe("invalid_grant")
    expect(await userinfoStatus(tokens.access_token)).toBe(401)
    expect(await nextAuthorization(browser, client)).toBe("login")
    expect((await passwordSignIn(client, user)).outcome).toBe(401)
    expect(await run(listSessions(user.id))).toEqual([])
    for (const table of ["users", "oauth_client_consents", "passkeys", "user_totp", "user_identities", "user_roles"]) {
      const column = table === "users" ? "id" : "user_id"
      expect(await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`).bind(user.id).first("n")).toBe(0)
    }
    expect(await run(deleteUser(ctx, { adminUserId: ADMIN, userId: user.id }))).toEqual({ deleted: false })
  })
})

describe("revokeConsent", () => {
  it("the consent page shows again and that client's refresh tokens die; another client's live on", async () => {
    const client = await seedClient()
    const other = await seedClient()
    const user = await seedUser()
    const first = await signedIn(client, user)
    const second = await signedIn(other, user)
    expect(await nextAuthorization(first.browser, client)).toBe("code")

    expect(await run(revokeConsent({ adminUserId: ADMIN, userId: user.id, clientId: client.clientId })))
      .toEqual({ revoked: true, refreshFamiliesRevoked: 1 })
    expect(await nextAuthorization(first.browser, client)).toBe("consent")
    expect((await refresh(client, first.tokens.refresh_token!)).body.error).toBe("invalid_grant")
    expect(await userinfoStatus(first.tokens.access_token)).toBe(401)
    expect((await refresh(other, second.tokens.refresh_token!)).status).toBe(200)
    expect(await run(revokeConsent({ adminUserId: ADMIN, userId: user.id, clientId: client.clientId })))
      .toEqual({ revoked: false, refreshFamiliesRevoked: 0 })
  })
})

describe("sessions and export", () => {
  it("list, revoke one (only that browser signs in again), refuse another user's session, revoke all; the export lists them", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const stranger = await seedUser()
    const a = await signedIn(client, user)
    const b = await signedIn(client, user)
    await signedIn(client, stranger)
    const sessions: ReadonlyArray<Session> = await run(listSessions(user.id))
    expect(sessions).toHaveLength(2)
    expect((await run(exportUser({ adminUserId: ADMIN, userId: user.id }))).sessions.map((s) => s.id).sort()).toEqual(sessions.map((s) => s.id).sort())

    const [strangerSession] = await run(listSessions(stranger.id))
    await expect(run(revokeSession(ctx, { adminUserId: ADMIN, userId: user.id, sessionId: strangerSession!.id }))).rejects.toMatchObject({ _tag: "NotFound" })
    expect(await run(listSessions(stranger.id))).toHaveLength(1)

    await run(revokeSession(ctx, { adminUserId: ADMIN, userId: user.id, sessionId: sessions[0]!.id }))
    expect(await run(listSessions(user.id))).toHaveLength(1)
    const outcomes = [await nextAuthorization(a.browser, client), await nextAuthorization(b.browser, client)].sort()
    expect(outcomes).toEqual(["code", "login"])

    expect(await run(revokeAllSessions(ctx, { adminUserId: ADMIN, userId: user.id }))).toEqual({ revoked: 1 })
    expect(await nextAuthorization(a.browser, client)).toBe("login")
    expect(await nextAuthorization(b.browser, client)).toBe("login")
    for (const set of [a, b]) expect((await refresh(client, set.tokens.refresh_token!)).body.error).toBe("invalid_grant")

    const exported = await run(exportUser({ adminUserId: ADMIN, userId: user.id }))
    expect(exported).toMatchObject({ user: { id: user.id, email: user.email }, hasPassword: true, sessions: [] })
    await vi.waitFor(async () => {
      const { results } = await env.DB.prepare("SELECT metadata FROM audit_log WHERE user_id = ? AND action = 'admin.action' AND actor_id = ? ORDER BY id")
        .bind(user.id, ADMIN).all<{ metadata: string }>()
      expect(results.map((r) => JSON.parse(r.metadata).operation)).toEqual(["user.exported", "session.revoked", "sessions.revoked_all", "user.exported"])
    }, { timeout: 45_000, interval: 250 })
  })
})
