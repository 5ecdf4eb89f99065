/**
 * Issue 9 §2 through the edge, with the real backends: refresh tokens end with
 * what they were granted for. Only `offline_access` (OIDC Core §11) gets an
 * offline family, which survives the end of its session but not a password
 * reset or change or "sign out everywhere"; an `online_refresh_tokens` client
 * gets a family bound to the session that dies with it. The access tokens a
 * revoked family issued die with it (/userinfo 401, /introspect inactive), and
 * a refreshed ID token never names an ended session.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, ORIGIN, parseForm } from "./support/browser.ts"
import { latestMailedLink, onProvider, requestPasswordReset, submitResetLink } from "./support/email_flows.ts"
import { seedClient, seedUser, type SeededClient, type SeededUser } from "./support/fixtures.ts"
import { jwtPayload, pkcePair, postForm, redeemCode, signIn, submitLoginForm } from "./support/flows.ts"

type Tokens = { access_token: string; refresh_token?: string; id_token: string; scope: string }

/** Signs `user` in to `client` in `browser` (login, consent if shown) and redeems the code. */
const tokensFor = async (browser: Browser, client: SeededClient, user: SeededUser, scope: string): Promise<Tokens> => {
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(browser, client, user, { scope, code_challenge: challenge, code_challenge_method: "S256" })
  const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
  expect(response.status).toBe(200)
  return response.json<Tokens>()
}

const refresh = (client: SeededClient, refreshToken: string) =>
  postForm("/token", { grant_type: "refresh_token", refresh_token: refreshToken }, client)

/** The refresh's outcome: the new tokens, or the OAuth error code. */
const refreshOutcome = async (client: SeededClient, refreshToken: string): Promise<Tokens | string> => {
  const response = await refresh(client, refreshToken)
  const body = await response.json<Tokens & { error?: string }>()
  return response.status === 200 ? body : body.error ?? `status ${response.status}`
}

const userinfoStatus = async (accessToken: string) =>
  (await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${accessToken}` } })).status

const introspected = async (client: SeededClient, token: string) =>
  (await postForm("/introspect", { token }, client)).json<{ active: boolean }>()

/** The access token is dead everywhere a resource server could check it. */
const expectAccessRevoked = async (client: SeededClient, accessToken: string) => {
  expect(await userinfoStatus(accessToken)).toBe(401)
  expect(await introspected(client, accessToken)).toEqual({ active: false })
}

const endSession = (browser: Browser, idToken: string) => {
  const url = new URL("/end_session", ORIGIN)
  url.searchParams.set("id_token_hint", idToken)
  return browser.request(url.toString())
}

/** Resets `user`'s password through /password/forgot and the mailed link. */
const resetPassword = async (user: SeededUser) => {
  expect((await requestPasswordReset(new Browser(), user.email)).status).toBe(200)
  const link = await latestMailedLink(user.email)
  expect(link).not.toBeNull()
  const done = await submitResetLink(new Browser(), onProvider(link!), `reset-${crypto.randomUUID()}`)
  expect(done.status).toBe(200)
}

/** Opens `path` in `browser`, signs `user` in there, and returns the page. */
const signInToProviderPage = async (browser: Browser, user: SeededUser, path: string) => {
  const start = await browser.request(path)
  if (start.status === 200) return start
  const back = await submitLoginForm(browser, await browser.follow(start), user)
  expect(back.headers.get("location")).toBe(path)
  return browser.follow(back)
}

const OFFLINE = "openid profile email offline_access"
const ONLINE = "openid profile email"

describe("Refresh tokens only for offline_access — OIDC Core §11", () => {
  it("a refresh_token client whose user did not grant offline_access gets no refresh token", async () => {
    const client = await seedClient({ skipConsent: true })
    const tokens = await tokensFor(new Browser(), client, await seedUser(), ONLINE)
    expect(tokens.access_token).toBeTruthy()
    expect(tokens.refresh_token).toBeUndefined()
  })

  it("offline_access consented on the consent page gets one; remembered consent to it keeps getting one", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    expect((await tokensFor(browser, client, user, OFFLINE)).refresh_token).toMatch(/^rt_/)
    // Second time: no consent page (remembered, offline_access included), still a refresh token.
    expect((await tokensFor(browser, client, user, OFFLINE)).refresh_token).toMatch(/^rt_/)
  })
})

describe("Online refresh tokens end with their session", () => {
  it("sign in → end_session → refresh is invalid_grant and the family's access tokens are revoked", async () => {
    const client = await seedClient({ skipConsent: true, onlineRefreshTokens: true })
    const user = await seedUser()
    const browser = new Browser()
    const tokens = await tokensFor(browser, client, user, ONLINE)
    expect(tokens.refresh_token).toMatch(/^rt_/)
    const sid = jwtPayload(tokens.id_token).sid
    // While the session lives the family refreshes, its ID tokens naming the session.
    const refreshed = await refreshOutcome(client, tokens.refresh_token!)
    if (typeof refreshed === "string") throw new Error(refreshed)
    expect(jwtPayload(refreshed.id_token).sid).toBe(sid)
    expect(await userinfoStatus(refreshed.access_token)).toBe(200)

    expect([200, 303]).toContain((await endSession(browser, tokens.id_token)).status)
    expect(await refreshOutcome(client, refreshed.refresh_token!)).toBe("invalid_grant")
    await expectAccessRevoked(client, refreshed.access_token)
    await expectAccessRevoked(client, tokens.access_token)
  })

  it("signing one session out on the account page ends its online family, not another session's offline one", async () => {
    const client = await seedClient({ skipConsent: true, onlineRefreshTokens: true })
    const user = await seedUser()
    const phone = new Browser()
    const online = await tokensFor(phone, client, user, ONLINE)
    const offline = await tokensFor(phone, client, user, OFFLINE)
    const laptop = new Browser()
    const html = await (await signInToProviderPage(laptop, user, "/account")).text()
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""
    expect((await laptop.post("/account/sessions", { csrf, action: "revoke_others" })).status).toBe(303)
    expect(await refreshOutcome(client, online.refresh_token!)).toBe("invalid_grant")
    const survived = await refreshOutcome(client, offline.refresh_token!)
    if (typeof survived === "string") throw new Error(`offline family died with its session: ${survived}`)
    expect(jwtPayload(survived.id_token)).not.toHaveProperty("sid")
  })
})

describe("Offline refresh tokens survive their session, not a credential reset", () => {
  it("survives end_session (its refreshed ID token without the ended sid), dies on password reset with its access tokens", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const tokens = await tokensFor(browser, client, user, OFFLINE)
    const sid = jwtPayload(tokens.id_token).sid
    expect(sid).toBeTypeOf("string")
    expect([200, 303]).toContain((await endSession(browser, tokens.id_token)).status)

    const afterLogout = await refreshOutcome(client, tokens.refresh_token!)
    if (typeof afterLogout === "string") throw new Error(`offline family died at end_session: ${afterLogout}`)
    expect(jwtPayload(afterLogout.id_token)).not.toHaveProperty("sid")
    expect(jwtPayload(afterLogout.access_token)).not.toHaveProperty("sid")
    expect(await userinfoStatus(afterLogout.access_token)).toBe(200)

    await resetPassword(user)
    expect(await refreshOutcome(client, afterLogout.refresh_token!)).toBe("invalid_grant")
    await expectAccessRevoked(client, afterLogout.access_token)
    await expectAccessRevoked(client, tokens.access_token)
  })

  it("dies on a password change, also the families of the session that stays signed in", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const page = await signInToProviderPage(browser, user, "/account/password")
    const tokens = await tokensFor(browser, client, user, OFFLINE)
    const elsewhere = await tokensFor(new Browser(), client, user, OFFLINE)
    const form = parseForm(await page.text())!
    const done = await browser.post(form.action, { ...form.fields, current: user.password, password: "changed-password-22", confirm: "changed-password-22" })
    expect(done.status).toBe(200)
    for (const family of [tokens, elsewhere]) {
      expect(await refreshOutcome(client, family.refresh_token!)).toBe("invalid_grant")
      await expectAccessRevoked(client, family.access_token)
    }
    // The session kept signed in still gets refresh tokens for new grants.
    expect((await tokensFor(browser, client, { ...user, password: "changed-password-22" }, OFFLINE)).refresh_token).toMatch(/^rt_/)
  })

  it("dies on \"sign out everywhere\"", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const tokens = await tokensFor(new Browser(), client, user, OFFLINE)
    const account = new Browser()
    const html = await (await signInToProviderPage(account, user, "/account")).text()
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""
    expect((await account.post("/account/sessions", { csrf, action: "revoke_all" })).status).toBe(200)
    expect(await refreshOutcome(client, tokens.refresh_token!)).toBe("invalid_grant")
    await expectAccessRevoked(client, tokens.access_token)
  })
})

describe("Refreshes and redemptions racing a password reset", () => {
  it("20 concurrent refreshes (20 families) and 5 code redemptions racing a reset: afterwards no refresh succeeds", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const families: Array<Tokens> = []
    for (let i = 0; i < 20; i++) families.push(await tokensFor(browser, client, user, OFFLINE))
    const pendingCodes = await Promise.all(Array.from({ length: 5 }, async () => {
      const { verifier, challenge } = await pkcePair()
      const callback = await signIn(browser, client, user, { scope: OFFLINE, code_challenge: challenge, code_challenge_method: "S256" })
      return { code: callback.searchParams.get("code")!, verifier }
    }))
    // The reset link is in hand before the race starts, so the race is the reset itself.
    expect((await requestPasswordReset(new Browser(), user.email)).status).toBe(200)
    const link = onProvider((await latestMailedLink(user.email))!)

    const racingRefreshes = families.map(async (family) => {
      const outcome = await refreshOutcome(client, family.refresh_token!)
      return typeof outcome === "string" ? family : outcome
    })
    const racingRedemptions = pendingCodes.map(async ({ code, verifier }) => {
      const response = await redeemCode(client, code, verifier)
      return response.status === 200 ? response.json<Tokens>() : null
    })
    const reset = submitResetLink(new Browser(), link, `reset-${crypto.randomUUID()}`)
    const [newest, redeemed, done] = await Promise.all([Promise.all(racingRefreshes), Promise.all(racingRedemptions), reset])
    expect(done.status).toBe(200)

    // After the reset: every family's newest refresh token, and any redemption's, is refused; their access tokens are dead.
    const survivors = [...newest, ...redeemed.filter((t): t is Tokens => t !== null)]
    const outcomes = await Promise.all(survivors.map((t) => t.refresh_token === undefined ? "none" : refreshOutcome(client, t.refresh_token)))
    expect(outcomes.map((o) => (typeof o === "string" ? o : "refreshed"))).toEqual(survivors.map((t) => (t.refresh_token === undefined ? "none" : "invalid_grant")))
    for (const t of survivors) expect(await userinfoStatus(t.access_token)).toBe(401)
    // And the families are revoked in the tokens service, not merely unusable: the index no longer lists any.
    const index = await env.TOKENS.revokeAllForUser({ userId: user.id, reason: "admin_revoke_all" })
    expect(index).toMatchObject({ _tag: "Success", value: { revoked: 0 } })
  })
})
