/**
 * Back-Channel Logout 1.0 §2.5 on every path that ends a browser session, not
 * only `/end_session`: revoking a session from the account page, "sign out
 * everywhere" / "sign out my other sessions", password reset and password
 * change. Each ended session's recorded RPs must be handed to the logout
 * notifier (which queues one logout token per RP with a
 * `backchannel_logout_uri`). Observed as in end_session.test.ts, through the
 * session service: once handed out, ending the session again yields no
 * clients; a session that stays signed in still holds its RPs.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { latestMailedLink, onProvider, requestPasswordReset, submitResetLink } from "./support/email_flows.ts"
import { seedClient, seedUser, type SeededClient, type SeededUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, signIn, submitLoginForm } from "./support/flows.ts"

/** An RP that registered for back-channel logout (`.test` never resolves, so no delivery leaves the machine). */
const backchannelClient = () => seedClient({ skipConsent: true, backchannelLogoutUri: "https://rp.test/backchannel" })

/** The session (`sid`) of the browser, read through the session service. */
const sidOf = async (browser: Browser): Promise<string> => {
  const result = await env.SESSION.authenticate({ cookie: browser.cookies.get("__Host-authrim_session")! })
  if (result._tag !== "Success") throw new Error("browser has no session")
  return result.value.id
}

/** Signs `user` in to `client` in a fresh browser; returns the browser and its session id. */
const signedInToRp = async (client: SeededClient, user: SeededUser) => {
  const browser = new Browser()
  expect((await signIn(browser, client, user)).searchParams.get("code")).toBeTruthy()
  return { browser, sid: await sidOf(browser) }
}

/**
 * The RPs still recorded for `sid` (ending it again hands them out). Empty
 * once the logout path handed them to the notifier; the RP's id while not.
 */
const clientsNotYetNotified = async (sid: string): Promise<ReadonlyArray<string>> => {
  const result = await env.SESSION.endSession({ sessionId: sid })
  if (result._tag !== "Success") throw new Error(`endSession failed: ${JSON.stringify(result.error)}`)
  return result.value.clientIds
}

/** Opens `path` in `browser`, signs `user` in there and returns the page's csrf value. */
const signInToProviderPage = async (browser: Browser, user: SeededUser, path: string) => {
  const start = await browser.request(path)
  expect(start.status).toBe(303)
  const back = await submitLoginForm(browser, await browser.follow(start), user)
  expect(back.headers.get("location")).toBe(path)
  const page = await browser.follow(back)
  expect(page.status).toBe(200)
  return /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ""
}

const silentAuthorization = async (browser: Browser, client: SeededClient) => {
  const callback = callbackOf(await browser.request(authorizeUrl(client.clientId, { prompt: "none" })))
  return callback.searchParams.get("code") !== null ? "code" : callback.searchParams.get("error")
}

describe("Account page — Back-Channel Logout 1.0 §2.5 when a session is ended there", () => {
  it("revoking a session from another browser signs it out and hands its RP to back-channel logout", async () => {
    const client = await backchannelClient()
    const user = await seedUser()
    const rp = await signedInToRp(client, user)
    const account = new Browser()
    const csrf = await signInToProviderPage(account, user, "/account")
    const response = await account.post("/account/sessions", { action: "revoke", sessionId: rp.sid, csrf })
    expect(response.status).toBe(303)
    expect(await silentAuthorization(rp.browser, client)).toBe("login_required")
    expect(await clientsNotYetNotified(rp.sid)).toEqual([])
  })

  it("\"sign out everywhere\" hands every session's RPs to back-channel logout", async () => {
    const client = await backchannelClient()
    const user = await seedUser()
    const first = await signedInToRp(client, user)
    const second = await signedInToRp(client, user)
    const account = new Browser()
    const csrf = await signInToProviderPage(account, user, "/account")
    // The account browser signs into the RP too: its own session is ended and notified like the others.
    expect((await signIn(account, client, user)).searchParams.get("code")).toBeTruthy()
    const own = await sidOf(account)
    const response = await account.post("/account/sessions", { action: "revoke_all", csrf })
    expect(response.status).toBe(200)
    for (const sid of [first.sid, second.sid, own]) expect(await clientsNotYetNotified(sid)).toEqual([])
    expect(await silentAuthorization(first.browser, client)).toBe("login_required")
  })

  it("\"sign out my other sessions\" notifies the others' RPs and keeps this browser's", async () => {
    const client = await backchannelClient()
    const user = await seedUser()
    const other = await signedInToRp(client, user)
    const account = new Browser()
    const csrf = await signInToProviderPage(account, user, "/account")
    expect((await signIn(account, client, user)).searchParams.get("code")).toBeTruthy()
    const response = await account.post("/account/sessions", { action: "revoke_others", csrf })
    expect(response.status).toBe(303)
    expect(await clientsNotYetNotified(other.sid)).toEqual([])
    expect(await silentAuthorization(account, client)).toBe("code")
    expect(await clientsNotYetNotified(await sidOf(account))).toEqual([client.clientId])
  })
})

describe("Password reset and change — Back-Channel Logout 1.0 §2.5 for the sessions they end", () => {
  it("a password reset ends every session and hands their RPs to back-channel logout", async () => {
    const client = await backchannelClient()
    const user = await seedUser()
    const rp = await signedInToRp(client, user)
    const mailer = new Browser()
    expect((await requestPasswordReset(mailer, user.email)).status).toBe(200)
    const link = await latestMailedLink(user.email)
    expect(link).not.toBeNull()
    const done = await submitResetLink(new Browser(), onProvider(link!), "reset-password-after-logout-1")
    expect(done.status).toBe(200)
    expect(await silentAuthorization(rp.browser, client)).toBe("login_required")
    expect(await clientsNotYetNotified(rp.sid)).toEqual([])
  })

  it("a password change ends the other sessions, notifies their RPs, and keeps this browser's", async () => {
    const client = await backchannelClient()
    const user = await seedUser()
    const other = await signedInToRp(client, user)
    const browser = new Browser()
    await signInToProviderPage(browser, user, "/account/password")
    expect((await signIn(browser, client, user)).searchParams.get("code")).toBeTruthy()
    const form = parseForm(await (await browser.request("/account/password")).text())!
    const done = await browser.post(form.action, { ...form.fields, current: user.password, password: "changed-password-22", confirm: "changed-password-22" })
    expect(done.status).toBe(200)
    expect(await clientsNotYetNotified(other.sid)).toEqual([])
    expect(await clientsNotYetNotified(await sidOf(browser))).toEqual([client.clientId])
  })
})
