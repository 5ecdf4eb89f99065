/**
 * Setting `mfaRequiredForAdmins` (issue 12 §2) through the edge with the real
 * backends. Settings are one global document and other test files sign admins
 * in with a password at the same time, so the setting is turned on only in
 * the edge these tests talk to: an edge whose identity binding answers
 * `getSettings` with the stored document plus `mfaRequiredForAdmins: true`
 * (every other method is the real identity). Off (the development default,
 * the plain edge): as before.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { Browser, ORIGIN } from "./support/browser.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, pkcePair, redeemCode, submitLoginForm } from "./support/flows.ts"
import { grantRole, seedAdminClient } from "./support/admin_flows.ts"
import { enrolTotp, secondFactorPageOf, signInToAccountTotp, submitCode } from "./support/totp_flows.ts"

type IncomingRequest = Parameters<typeof worker.fetch>[0]

/** The real identity binding, except that its settings say `mfaRequiredForAdmins: true`. */
const identityWithAdminMfa = new Proxy(env.IDENTITY, {
  get(target, property) {
    if (property === "getSettings") {
      return async (input: unknown) => {
        const result = await target.getSettings(input as Parameters<typeof target.getSettings>[0])
        if (result._tag !== "Success") return result
        return { ...result, value: { ...result.value, settings: { ...result.value.settings, mfaRequiredForAdmins: true } } }
      }
    }
    // An RPC stub's members are RPC stubs too (even `bind`): call through the binding itself.
    return (...args: Array<unknown>) => Reflect.apply(Reflect.get(target, property), target, args)
  }
})
const strictEnv = { ...env, IDENTITY: identityWithAdminMfa }
const strictEdge = (request: Request) => worker.fetch(request as IncomingRequest, strictEnv)

const adminScope = { scope: "openid admin" }

/** A user holding `clients:read`. */
const adminUser = async () => {
  const user = await seedUser()
  await grantRole(user.id, ["clients:read"])
  return user
}

const scopeOfCode = async (client: Awaited<ReturnType<typeof seedAdminClient>>, callback: URL, verifier: string) => {
  const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
  expect(response.status).toBe(200)
  return (await response.json<{ scope: string }>()).scope.split(" ")
}

describe("mfaRequiredForAdmins on", () => {
  it("an admin with TOTP and a password-only session: the login page again, the code only after the TOTP code; the token has `admin`", async () => {
    const client = await seedAdminClient()
    const user = await adminUser()
    const browser = new Browser(strictEdge)
    await signInToAccountTotp(browser, user)
    const { app } = await enrolTotp(browser)
    const { verifier, challenge } = await pkcePair()
    const params = { ...adminScope, code_challenge: challenge, code_challenge_method: "S256" }
    // The session is password-only (signed in before TOTP was on): re-authenticate, no code yet.
    const login = await browser.request(authorizeUrl(client.clientId, params))
    expect(login.status).toBe(200)
    expect(login.headers.get("location")).toBeNull()
    const afterPassword = await submitLoginForm(browser, login, user)
    const html = await secondFactorPageOf(browser, afterPassword)
    const callback = callbackOf(await submitCode(browser, html, await app.code(1)))
    expect(await scopeOfCode(client, callback, verifier)).toContain("admin")
    // The session now has its second factor: the next request is answered at once.
    const again = await browser.request(authorizeUrl(client.clientId, adminScope))
    expect(callbackOf(again).searchParams.get("code")).toBeTruthy()
  })

  it("an admin without a second factor: refused after the password with the page in Japanese (link to set up TOTP, access_denied back to the RP); prompt=none → interaction_required", async () => {
    const client = await seedAdminClient()
    const user = await adminUser()
    const browser = new Browser(strictEdge)
    const login = await browser.follow(await browser.request(authorizeUrl(client.clientId, { ...adminScope, ui_locales: "ja", state: "s1" })))
    const refused = await submitLoginForm(browser, login, user)
    expect(refused.status).toBe(403)
    const html = await refused.text()
    expect(html).toContain(`<html lang="ja">`)
    expect(html).toContain("2 段階認証")
    expect(html).toMatch(/href="(\/|&#x2F;)account(\/|&#x2F;)totp"/)
    const hrefs = [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&#x2F;", "/").replaceAll("&#x3D;", "=").replaceAll("&amp;", "&"))
    const back = hrefs.find((href) => href.startsWith("https://rp.test/"))!
    const backUrl = new URL(back)
    expect(backUrl.searchParams.get("error")).toBe("access_denied")
    expect(backUrl.searchParams.get("state")).toBe("s1")
    expect(backUrl.searchParams.has("code")).toBe(false)
    // English for an English browser.
    const english = await browser.request(authorizeUrl(client.clientId, adminScope), { headers: { "accept-language": "en" } })
    expect(english.status).toBe(403)
    expect(await english.text()).toContain("Set up an authenticator app")
    // No page allowed: the RP hears interaction_required.
    const silent = callbackOf(await browser.request(authorizeUrl(client.clientId, { ...adminScope, prompt: "none" })))
    expect(silent.searchParams.get("error")).toBe("interaction_required")
    expect(silent.searchParams.has("code")).toBe(false)
  })

  it("a user without an admin permission is unaffected: a code at once, without `admin`", async () => {
    const client = await seedAdminClient()
    const user = await seedUser()
    const browser = new Browser(strictEdge)
    const { verifier, challenge } = await pkcePair()
    const login = await browser.follow(await browser.request(authorizeUrl(client.clientId, { ...adminScope, code_challenge: challenge, code_challenge_method: "S256" })))
    const callback = callbackOf(await submitLoginForm(browser, login, user))
    expect(await scopeOfCode(client, callback, verifier)).not.toContain("admin")
  })

  it("an admin not asking for `admin` is unaffected", async () => {
    const client = await seedAdminClient()
    const user = await adminUser()
    const browser = new Browser(strictEdge)
    const login = await browser.follow(await browser.request(authorizeUrl(client.clientId, { scope: "openid" })))
    expect(callbackOf(await submitLoginForm(browser, login, user)).searchParams.get("code")).toBeTruthy()
  })
})

describe("mfaRequiredForAdmins on — device codes (RFC 8628) for scope admin", () => {
  it("approving needs the same second factor: an admin without one gets the refusal page, a non-admin the confirm page", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "none", grantTypes: ["urn:ietf:params:oauth:grant-type:device_code"], scope: "openid admin" })
    const started = await strictEdge(new Request(`${ORIGIN}/device_authorization`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: client.clientId, scope: "openid admin" })
    }))
    expect(started.status).toBe(200)
    const { user_code } = await started.json<{ user_code: string }>()
    const signedIn = async (user: Awaited<ReturnType<typeof seedUser>>) => {
      const browser = new Browser(strictEdge)
      const login = await browser.follow(await browser.request("/account"))
      expect((await submitLoginForm(browser, login, user)).status).toBe(303)
      return browser
    }
    const admin = await signedIn(await adminUser())
    const refused = await admin.request(`/device?user_code=${encodeURIComponent(user_code)}`, { headers: { "accept-language": "ja" } })
    expect(refused.status).toBe(403)
    const html = await refused.text()
    expect(html).toContain(`<html lang="ja">`)
    expect(html).not.toContain(`name="decision"`)
    const plain = await signedIn(await seedUser())
    const confirm = await plain.request(`/device?user_code=${encodeURIComponent(user_code)}`)
    expect(confirm.status).toBe(200)
    expect(await confirm.text()).toContain(`name="decision"`)
  })
})

describe("mfaRequiredForAdmins off (the development default)", () => {
  it("an admin signing in with a password alone gets `admin`, as before", async () => {
    const client = await seedAdminClient()
    const user = await adminUser()
    const browser = new Browser()
    const { verifier, challenge } = await pkcePair()
    const login = await browser.follow(await browser.request(authorizeUrl(client.clientId, { ...adminScope, code_challenge: challenge, code_challenge_method: "S256" })))
    const callback = callbackOf(await submitLoginForm(browser, login, user))
    expect(await scopeOfCode(client, callback, verifier)).toContain("admin")
  })
})
