/**
 * The peer side of issue 10 §1: the same operations against
 * `@cloudflare/workers-oauth-provider` (bench/peers/workers-oauth-provider)
 * and the bare Worker (bench/peers/bare-worker). The peer's client is
 * registered through its dynamic client registration in `setup` (not measured).
 */
import { createHash, randomBytes } from "node:crypto"
import { benchClient } from "../bench_seed.ts"
import type { LoadScenarioId, PeerTargetId } from "../results.ts"
import { emptyCostSum } from "./cost_sum.ts"
import { basicAuth, formPost, httpSession, type HttpRequest } from "./http_session.ts"
import type { Scenario } from "./scenarios.ts"

interface PeerClient {
  readonly clientId: string
  /** client_secret_basic */
  readonly authorization: string
}

interface PeerTokens {
  readonly accessToken: string
  readonly refreshToken: string
}

const random = () => randomBytes(32).toString("base64url")

/** Reads a JSON response, throwing unless the status is 200. */
const json200 = async (response: Response, what: string): Promise<Record<string, unknown>> => {
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
  if (response.status !== 200 && response.status !== 201) throw new Error(`${what} answered ${response.status} ${String(body["error"] ?? "")}`.trim())
  return body
}

/** Registers a confidential client (RFC 7591) with the bench's redirect URI. */
const registerClient = async (baseUrl: string): Promise<PeerClient> => {
  const body = await json200(
    await fetch(new URL("/register", baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: "Bench App",
        redirect_uris: [benchClient.redirectUri],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic"
      })
    }),
    "register"
  )
  if (typeof body["client_id"] !== "string" || typeof body["client_secret"] !== "string") throw new Error("register: no client_id/client_secret")
  return { clientId: body["client_id"], authorization: basicAuth(body["client_id"], body["client_secret"]) }
}

/** authorize (auto-approved for the fixed user, PKCE S256) → code → token. */
const codeFlow = async (http: HttpRequest, baseUrl: string, client: PeerClient): Promise<PeerTokens> => {
  const verifier = random()
  const state = random()
  const url = new URL("/authorize", baseUrl)
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: benchClient.redirectUri,
    scope: "profile email offline_access",
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256"
  }).toString()
  const response = await http(url.toString())
  await response.body?.cancel()
  const location = response.headers.get("location")
  if (response.status !== 302 || location === null) throw new Error(`authorize answered ${response.status}`)
  const callback = new URL(location)
  const code = callback.searchParams.get("code")
  if (code === null || callback.searchParams.get("state") !== state) throw new Error("authorize: no code or a wrong state in the callback")
  const body = await json200(
    await http(new URL("/token", baseUrl).toString(), formPost({ grant_type: "authorization_code", code, redirect_uri: benchClient.redirectUri, code_verifier: verifier }, { authorization: client.authorization })),
    "token"
  )
  if (typeof body["access_token"] !== "string" || typeof body["refresh_token"] !== "string") throw new Error("token response lacks access_token or refresh_token")
  return { accessToken: body["access_token"], refreshToken: body["refresh_token"] }
}

const callApi = async (http: HttpRequest, url: string, accessToken?: string) => {
  const body = await json200(await http(url, accessToken === undefined ? {} : { headers: { authorization: `Bearer ${accessToken}` } }), "api call")
  if (body["sub"] !== "bench") throw new Error("api call: unexpected body")
}

export const peerScenarioFor = (target: PeerTargetId, id: LoadScenarioId, baseUrl: string): Scenario => {
  if (target === "bare-worker") {
    if (id !== "api-call") throw new Error(`the bare Worker runs only api-call, not ${id}`)
    return { setup: async () => {}, op: (_w, http) => callApi(http, new URL("/api/me", baseUrl).toString()) }
  }
  let client: PeerClient = { clientId: "", authorization: "" }
  const register = async () => void (client = await registerClient(baseUrl))
  const unmeasuredFlow = () => codeFlow(httpSession(emptyCostSum()), baseUrl, client)
  switch (id) {
    case "api-call": {
      let token = ""
      return {
        setup: async () => {
          await register()
          token = (await unmeasuredFlow()).accessToken
        },
        op: (_w, http) => callApi(http, new URL("/api/me", baseUrl).toString(), token)
      }
    }
    case "refresh": {
      const chains: string[] = []
      const renew = async (w: number) => void (chains[w] = (await unmeasuredFlow()).refreshToken)
      return {
        setup: async (workers) => {
          await register()
          await Promise.all(Array.from({ length: workers }, (_, w) => renew(w)))
        },
        op: async (w, http) => {
          const old = chains[w]!
          const body = await json200(await http(new URL("/token", baseUrl).toString(), formPost({ grant_type: "refresh_token", refresh_token: old }, { authorization: client.authorization })), "refresh")
          if (typeof body["access_token"] !== "string" || typeof body["refresh_token"] !== "string" || body["refresh_token"] === old) throw new Error("refresh: unexpected body")
          chains[w] = body["refresh_token"]
        },
        recover: renew
      }
    }
    case "remembered-consent":
      return { setup: register, op: async (_w, http) => void (await codeFlow(http, baseUrl, client)) }
    case "discovery": {
      // RFC 8414 metadata only: the peer issues opaque tokens and publishes no JWKS.
      const url = new URL("/.well-known/oauth-authorization-server", baseUrl).toString()
      return {
        setup: async () => {},
        op: async (_w, http) => {
          const body = await json200(await http(url), "metadata")
          if (typeof body["issuer"] !== "string") throw new Error("metadata: no issuer")
        }
      }
    }
    default:
      throw new Error(`no peer scenario ${id}`)
  }
}
