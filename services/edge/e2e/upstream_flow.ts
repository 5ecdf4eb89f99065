/**
 * Drives "Sign in with …" end to end like a browser: the RP's authorization
 * request → Authrim's login page → the provider link → the upstream OP's login
 * page (submit the account, or cancel) → Authrim's callback → consent → the
 * RP's redirect_uri. Hooks let a test tamper with the upstream authorization
 * request (e.g. its nonce) or with the callback (state, browser).
 */
import * as oidc from "openid-client"
import { inject } from "vitest"
import { Browser, parseForm } from "./browser.ts"
import { issuer, redirectUri } from "./rp.ts"

export interface UpstreamFlowOptions {
  /** Account id for the upstream login page (see `upstreamAccount`), or "deny" to cancel there. */
  readonly account: string | "deny"
  readonly tamperUpstreamAuthorization?: (url: URL) => URL
  /** Rewrites the callback URL; returning a browser delivers it in that browser instead. */
  readonly tamperCallback?: (url: URL) => URL
  readonly callbackBrowser?: Browser
}

/** Where a flow ended: at the RP (`url`), or on a page of Authrim (`page`, `status`). */
export interface UpstreamFlowResult {
  readonly url: URL
  readonly status: number
  readonly page?: string
  readonly loginPage: string
  readonly callbackUrl?: URL
  readonly codeVerifier: string
  readonly state: string
  readonly nonce: string
}

/** The "Sign in with" link of `providerId` on a login page. */
export const providerLink = (html: string, providerId: string): string | undefined => {
  const match = new RegExp(`href="(/login/upstream\\?provider=${providerId}&amp;tx=[^"]+)"`).exec(html)
  return match?.[1]?.replace(/&amp;/g, "&")
}

export const signInUpstream = async (config: oidc.Configuration, providerId: string, options: UpstreamFlowOptions, browser = new Browser(issuer())): Promise<UpstreamFlowResult> => {
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid profile email",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce
  })
  const authrim = new URL(issuer()).origin
  const upstream = new URL(inject("upstreamIssuer")).origin
  let res = await browser.request(authorizationUrl.toString())
  while (res.status >= 300 && res.status < 400) res = await browser.request(new URL(res.headers.get("location")!, authrim).toString())
  const loginPage = await res.text()
  const link = providerLink(loginPage, providerId)
  if (link === undefined) throw new Error(`no link for ${providerId} on the login page (status ${res.status})`)
  const base = { loginPage, codeVerifier, state, nonce }
  let current = browser
  let callbackUrl: URL | undefined
  let next = new URL(link, authrim)
  for (let step = 0; step < 20; step++) {
    if (next.origin === upstream && next.pathname === "/auth" && options.tamperUpstreamAuthorization) {
      next = options.tamperUpstreamAuthorization(next)
    }
    if (next.origin === authrim && next.pathname === "/login/upstream/callback") {
      if (options.tamperCallback) next = options.tamperCallback(next)
      if (options.callbackBrowser) current = options.callbackBrowser
      callbackUrl = next
    }
    if (next.origin !== authrim && next.origin !== upstream) return { ...base, url: next, status: res.status, callbackUrl }
    res = await current.request(next.toString())
    const location = res.headers.get("location")
    if (res.status >= 300 && res.status < 400 && location) {
      next = new URL(location, next)
      continue
    }
    const html = await res.text()
    const form = parseForm(html, next.toString())
    if (form === undefined || res.status >= 400) return { ...base, url: next, status: res.status, page: html, callbackUrl }
    const body = new URLSearchParams(form.fields)
    if ("account" in form.fields) {
      if (options.account === "deny") body.set("deny", "1")
      else body.set("account", options.account)
    } else if (form.buttons.some((b) => b.name === "decision")) {
      body.set("decision", "approve")
    } else {
      return { ...base, url: next, status: res.status, page: html, callbackUrl }
    }
    res = await current.request(form.action, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body })
    const after = res.headers.get("location")
    if (!(res.status >= 300 && res.status < 400 && after)) {
      return { ...base, url: new URL(form.action), status: res.status, page: await res.text(), callbackUrl }
    }
    next = new URL(after, form.action)
  }
  throw new Error("upstream sign-in did not finish within 20 steps")
}
