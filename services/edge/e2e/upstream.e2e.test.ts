/**
 * "Sign in with …" against a real OpenID Provider (node-oidc-provider, started
 * in global-setup.ts — see upstream_provider.ts), driven like a browser and
 * checked by openid-client as the RP.
 */
import * as oidc from "openid-client"
import { describe, expect, inject, it } from "vitest"
import { Browser } from "./browser.ts"
import { alice, issuer, redeem, redirectUri, rpFor, signIn } from "./rp.ts"
import { providerLink, signInUpstream } from "./upstream_flow.ts"
import { upstreamAccount, upstreamProviderId } from "./upstream_provider.ts"

const fresh = (label: string) => {
  const id = `${label}-${crypto.randomUUID().slice(0, 8)}`
  return { sub: `upstream-${id}`, email: `${id}@upstream.test` }
}

const aliceSub = async () => {
  const config = await rpFor("e2e-basic")
  return (await redeem(config, await signIn(config))).claims()!.sub
}

describe("Upstream OpenID Connect sign-in — OIDC Core §3.1 as a relying party", () => {
  it("lists the enabled providers on the login page", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signInUpstream(config, upstreamProviderId, { account: upstreamAccount({ ...fresh("list"), email_verified: true }) })
    expect(flow.loginPage).toContain("Sign in with Upstream E2E")
    expect(flow.loginPage).toContain("Sign in with Upstream E2E (OAuth 2.0)")
  })

  it("creates a new user from an upstream account, and signs the same user in next time", async () => {
    const config = await rpFor("e2e-basic")
    const account = { ...fresh("new"), email_verified: true, name: "Nina Newcomer" }
    const first = await signInUpstream(config, upstreamProviderId, { account: upstreamAccount(account) })
    expect(first.page).toBeUndefined()
    const tokens = await redeem(config, first)
    const claims = tokens.claims()!
    expect(claims.amr).toEqual(["fed"])
    expect(claims.sub).not.toBe(account.sub)
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)
    expect(userinfo.email).toBe(account.email)
    expect(userinfo.email_verified).toBe(true)
    expect(userinfo.name).toBe("Nina Newcomer")

    const again = await signInUpstream(config, upstreamProviderId, { account: upstreamAccount(account) })
    expect((await redeem(config, again)).claims()!.sub).toBe(claims.sub)
  })

  it("links to the existing user when the upstream email is verified", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signInUpstream(config, upstreamProviderId, {
      account: upstreamAccount({ sub: `upstream-alice-${crypto.randomUUID()}`, email: alice.email, email_verified: true })
    })
    expect((await redeem(config, flow)).claims()!.sub).toBe(await aliceSub())
  })

  it("does NOT link (and does not sign in) when the upstream email is unverified", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signInUpstream(config, upstreamProviderId, {
      account: upstreamAccount({ sub: `upstream-mallory-${crypto.randomUUID()}`, email: alice.email, email_verified: false })
    })
    expect(flow.status).toBe(403)
    expect(flow.page).toContain("already exists")
    expect(flow.url.origin).toBe(new URL(issuer()).origin)
  })

  it("shows a clear page when the user cancels at the upstream (error=access_denied)", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signInUpstream(config, upstreamProviderId, { account: "deny" })
    expect(flow.callbackUrl?.searchParams.get("error")).toBe("access_denied")
    expect(flow.status).toBe(403)
    expect(flow.page).toContain("did not sign you in")
  })
})

describe("Upstream state — RFC 6749 §10.12 (CSRF) and single use", () => {
  const account = () => upstreamAccount({ ...fresh("state"), email_verified: true })

  it("rejects a tampered state", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signInUpstream(config, upstreamProviderId, {
      account: account(),
      tamperCallback: (url) => { url.searchParams.set("state", url.searchParams.get("state")! + "x"); return url }
    })
    expect(flow.status).toBe(400)
    expect(flow.page).toContain("start again")
  })

  it("rejects an absent state", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signInUpstream(config, upstreamProviderId, {
      account: account(),
      tamperCallback: (url) => { url.searchParams.delete("state"); return url }
    })
    expect(flow.status).toBe(400)
  })

  it("rejects the callback in a browser other than the one that started the sign-in", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signInUpstream(config, upstreamProviderId, { account: account(), callbackBrowser: new Browser(issuer()) })
    expect(flow.status).toBe(400)
    expect(flow.page).toContain("another browser")
  })

  it("accepts a callback once: a replay is rejected", async () => {
    const config = await rpFor("e2e-basic")
    const browser = new Browser(issuer())
    const flow = await signInUpstream(config, upstreamProviderId, { account: account() }, browser)
    expect(flow.page).toBeUndefined()
    const replay = await browser.request(flow.callbackUrl!.toString())
    expect(replay.status).toBe(400)
    expect(await replay.text()).toContain("already used")
  })

  it("refuses to start in a browser that does not own the login transaction", async () => {
    const config = await rpFor("e2e-basic")
    const owner = new Browser(issuer())
    const authorization = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: "openid", state: oidc.randomState(), nonce: oidc.randomNonce(),
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: "S256"
    })
    // The login page is the /authorize answer itself (issue 10).
    const loginPage = await (await owner.request(authorization.toString())).text()
    const link = new URL(providerLink(loginPage, upstreamProviderId)!, issuer()).toString()
    const stranger = await new Browser(issuer()).request(link)
    expect(stranger.status).toBe(400)
    expect(await stranger.text()).toContain("another browser")
    const own = await owner.request(link)
    expect(own.status).toBe(303)
    expect(own.headers.get("location")!.startsWith(inject("upstreamIssuer"))).toBe(true)
  })
})

describe("Upstream ID token validation — OIDC Core §3.1.3.7", () => {
  it("rejects an ID token whose nonce is not the one Authrim sent", async () => {
    const config = await rpFor("e2e-basic")
    const flow = await signInUpstream(config, upstreamProviderId, {
      account: upstreamAccount({ ...fresh("nonce"), email_verified: true }),
      tamperUpstreamAuthorization: (url) => { url.searchParams.set("nonce", "attacker-chosen-nonce"); return url }
    })
    expect(flow.status).toBe(403)
    expect(flow.page).toContain("nonce mismatch")
  })
})

describe("Upstream plain OAuth 2.0 (GitHub-style: endpoints + userinfo claim mapping)", () => {
  it("creates a user from userinfo", async () => {
    const config = await rpFor("e2e-basic")
    const account = { ...fresh("oauth2"), email_verified: true }
    const flow = await signInUpstream(config, `${upstreamProviderId}-oauth2`, { account: upstreamAccount(account) })
    const tokens = await redeem(config, flow)
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)
    expect(userinfo.email).toBe(account.email)
  })
})
