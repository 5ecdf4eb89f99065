/**
 * Authorization-flow steps shared by the tests: building requests with PKCE,
 * walking the login and consent forms, redeeming codes.
 */
import { expect } from "vitest"
import { Browser, ORIGIN, parseForm } from "./browser.ts"
import { REDIRECT_URI, seedUser, type SeededClient, type SeededUser } from "./fixtures.ts"

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")

/** A fresh PKCE pair (RFC 7636 S256). */
export const pkcePair = async () => {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)))
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))))
  return { verifier, challenge }
}

/** `/authorize?…` for `client` with sensible defaults (code, openid profile email, S256, state, nonce). */
export const authorizeUrl = (clientId: string, params: Record<string, string | null> = {}) => {
  const url = new URL("/authorize", ORIGIN)
  const all: Record<string, string | null> = {
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: "openid profile email",
    state: "state-123",
    nonce: "nonce-456",
    ...params
  }
  for (const [name, value] of Object.entries(all)) if (value !== null) url.searchParams.set(name, value)
  return url.toString()
}

/** Submits the login form shown by `page` (a 200 HTML response). */
export const submitLoginForm = async (browser: Browser, page: Response, user: Pick<SeededUser, "email" | "password">) => {
  const form = parseForm(await page.text())
  expect(form?.fields).toHaveProperty("tx")
  return browser.post(form!.action, { ...form!.fields, email: user.email, password: user.password })
}

/** Submits the consent form shown by `page`. */
export const submitConsentForm = async (browser: Browser, page: Response, decision: "approve" | "deny") => {
  const form = parseForm(await page.text())
  expect(form?.buttons.map((b) => b.value)).toEqual(["approve", "deny"])
  return browser.post(form!.action, { ...form!.fields, decision })
}

/** The RP callback a redirect points at. */
export const callbackOf = (response: Response): URL => {
  expect(response.status).toBe(303)
  const url = new URL(response.headers.get("location")!)
  expect(url.origin + url.pathname).toBe(REDIRECT_URI)
  return url
}

/** Signs `user` in through login and consent (approve); returns the callback URL. */
export const signIn = async (
  browser: Browser,
  client: SeededClient,
  user: SeededUser,
  params: Record<string, string | null> = {}
): Promise<URL> => {
  let response = await browser.follow(await browser.request(authorizeUrl(client.clientId, params)))
  if (response.status === 200 && (await response.clone().text()).includes("name=\"password\"")) {
    response = await browser.follow(await submitLoginForm(browser, response, user))
  }
  if (response.status === 200 && (await response.clone().text()).includes("name=\"decision\"")) {
    response = await submitConsentForm(browser, response, "approve")
  }
  return callbackOf(response)
}

/** HTTP Basic credentials, id and secret form-urlencoded first (RFC 6749 §2.3.1). */
export const basicAuth = (clientId: string, secret: string) => {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+")
  return `Basic ${btoa(`${encode(clientId)}:${encode(secret)}`)}`
}

/** Posts a form to the token-style endpoint `path`, optionally with Basic credentials of `client`. */
export const postForm = (path: string, fields: Record<string, string>, client?: SeededClient, headers: Record<string, string> = {}) =>
  new Browser().request(path, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(client?.secret ? { authorization: basicAuth(client.clientId, client.secret) } : {}),
      ...headers
    },
    body: new URLSearchParams(fields).toString()
  })

/** Redeems a code with Basic authentication (confidential) or `client_id` (public). */
export const redeemCode = (client: SeededClient, code: string, verifier?: string) =>
  postForm("/token", {
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT_URI,
    ...(verifier === undefined ? {} : { code_verifier: verifier }),
    ...(client.secret === null ? { client_id: client.clientId } : {})
  }, client)

/** Decodes a JWT's payload (no verification; the signature is checked where it matters). */
export const jwtPayload = (jwt: string): Record<string, unknown> =>
  JSON.parse(atob(jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")))

/** Signs a fresh user in with `client` and redeems the code; returns the token response body. */
export const obtainTokens = async (client: SeededClient, params: Record<string, string | null> = {}) => {
  const user = await seedUser()
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(new Browser(), client, user, { code_challenge: challenge, code_challenge_method: "S256", ...params })
  const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
  expect(response.status).toBe(200)
  return { user, tokens: await response.json<{ access_token: string; refresh_token?: string; id_token?: string; scope: string }>() }
}
