/**
 * The full sign-in of one fresh user, as a browser and an RP backend do it:
 * authorize (PKCE S256, prompt=consent so offline_access is honoured) → login
 * form → consent form → redirect with the code → token (client_secret_basic)
 * → userinfo; or a returning user's sign-in with remembered consent (authorize → login
 * → code → token). Every step is checked; any deviation throws.
 */
import { createHash, randomBytes } from "node:crypto"
import { benchClient, BENCH_PASSWORD } from "../bench_seed.ts"
import { parseFirstForm } from "./html_form.ts"
import { basicAuth, formPost, type HttpRequest } from "./http_session.ts"
import type { Target } from "./target.ts"

export interface SignedIn {
  readonly accessToken: string
  readonly refreshToken: string
}

// 32 bytes: a 43-character PKCE verifier, the RFC 7636 minimum.
const random = () => randomBytes(32).toString("base64url")

/**
 * How a sign-in goes: `fresh` asks for consent (prompt=consent, so offline_access is
 * honoured) and checks the userinfo; `rememberedConsent` is a returning user who consented
 * before — no prompt, a consent page is an error, and the flow ends at the token response.
 */
export type SignInKind = "fresh" | "rememberedConsent"

/** Follows the authorization request through login (and consent) to the redirect_uri; returns that URL. */
const authorize = async (http: HttpRequest, target: Target, email: string, state: string, challenge: string, kind: SignInKind): Promise<URL> => {
  const url = new URL(target.authorizationEndpoint)
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: benchClient.clientId,
    redirect_uri: benchClient.redirectUri,
    scope: benchClient.scope,
    state,
    nonce: random(),
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...(kind === "fresh" ? { prompt: "consent" } : {})
  }).toString()
  let current = url.toString()
  let response = await http(current)
  for (let step = 0; step < 12; step++) {
    const location = response.headers.get("location")
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel()
      const next = new URL(location, current)
      if (next.toString().startsWith(benchClient.redirectUri)) return next
      if (next.origin !== new URL(target.issuer).origin) throw new Error(`redirected off the provider: ${next.origin}`)
      current = next.toString()
      response = await http(current)
      continue
    }
    const html = await response.text()
    if (response.status >= 400) throw new Error(`${new URL(current).pathname} answered ${response.status}`)
    const form = parseFirstForm(html, current)
    if (form === undefined) throw new Error(`${new URL(current).pathname}: no form on the page`)
    const body: Record<string, string> = { ...form.fields }
    if (target.form.password in form.fields) {
      body[target.form.email] = email
      body[target.form.password] = BENCH_PASSWORD
    } else if (form.buttons.some((b) => b.name === target.form.decision)) {
      if (kind === "rememberedConsent") throw new Error(`${new URL(current).pathname}: consent asked again of a user who consented`)
      body[target.form.decision] = target.form.approve
    } else {
      throw new Error(`${new URL(current).pathname}: neither a login nor a consent form`)
    }
    current = form.action
    response = await http(current, formPost(body))
  }
  throw new Error("authorization did not finish within 12 steps")
}

/**
 * Signs `email` in through the code flow. A `rememberedConsent` sign-in does not require a
 * refresh token (without prompt=consent a provider may drop offline_access, OIDC Core §11): "" if none.
 */
export const signIn = async (http: HttpRequest, target: Target, email: string, kind: SignInKind = "fresh"): Promise<SignedIn> => {
  const verifier = random()
  const challenge = createHash("sha256").update(verifier).digest("base64url")
  const state = random()
  const callback = await authorize(http, target, email, state, challenge, kind)
  const code = callback.searchParams.get("code")
  if (code === null) throw new Error(`no code in the callback: ${callback.searchParams.get("error") ?? "?"}`)
  if (callback.searchParams.get("state") !== state) throw new Error("state mismatch in the callback")
  const tokenResponse = await http(
    target.tokenEndpoint,
    formPost({ grant_type: "authorization_code", code, redirect_uri: benchClient.redirectUri, code_verifier: verifier }, { authorization: basicAuth(benchClient.clientId, benchClient.clientSecret) })
  )
  const tokens = (await tokenResponse.json()) as Record<string, unknown>
  if (tokenResponse.status !== 200) throw new Error(`token answered ${tokenResponse.status} ${String(tokens["error"])}: ${String(tokens["error_description"] ?? "")}`)
  const { access_token: accessToken, refresh_token: refreshToken, id_token: idToken } = tokens
  if (kind === "rememberedConsent") {
    if (typeof accessToken !== "string" || typeof idToken !== "string") throw new Error("token response lacks access_token or id_token")
    return { accessToken, refreshToken: typeof refreshToken === "string" ? refreshToken : "" }
  }
  if (typeof accessToken !== "string" || typeof refreshToken !== "string" || typeof idToken !== "string") {
    throw new Error("token response lacks access_token, refresh_token or id_token")
  }
  const userinfo = await http(target.userinfoEndpoint, { headers: { authorization: `Bearer ${accessToken}` } })
  const claims = (await userinfo.json()) as Record<string, unknown>
  if (userinfo.status !== 200 || claims["email"] !== email) throw new Error(`userinfo answered ${userinfo.status} without the user's email`)
  return { accessToken, refreshToken }
}
