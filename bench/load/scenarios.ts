/**
 * The six scenarios (and Authrim's side of the peer comparison's remembered-consent
 * sign-in), each one operation (`op`) that either succeeds or throws. Per-worker state (a refresh-token chain, a token to introspect) is
 * made in `setup`, which is not measured.
 */
import { benchClient, benchUserEmail } from "../bench_seed.ts"
import type { LoadScenarioId } from "../results.ts"
import { emptyCostSum } from "./cost_sum.ts"
import { basicAuth, formPost, httpSession, type HttpRequest } from "./http_session.ts"
import { signIn } from "./sign_in.ts"
import type { Target } from "./target.ts"

export interface Scenario {
  /** Prepares state for `workers` concurrent workers (not measured). */
  setup(workers: number): Promise<void>
  /** One operation of worker `worker`; `n` numbers the operation within the run. */
  op(worker: number, http: HttpRequest, n: number): Promise<void>
  /** After a failed op (not measured): repairs the worker's state, e.g. a broken refresh-token chain. */
  recover?(worker: number): Promise<void>
}

/** Bench users reserved for one load process: indices first … first+count-1. */
export const userPool = (first: number, count: number) => {
  let next = first
  return () => {
    if (next >= first + count) throw new Error("out of bench users (raise the seeded user count)")
    return benchUserEmail(next++)
  }
}

const clientAuth = { authorization: basicAuth(benchClient.clientId, benchClient.clientSecret) }

/** Reads a JSON response, throwing unless the status is 200 and `check` holds. */
const expectJson = async (response: Response, what: string, check: (body: Record<string, unknown>) => boolean) => {
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
  if (response.status !== 200) throw new Error(`${what} answered ${response.status} ${String(body["error"] ?? "")}`.trim())
  if (!check(body)) throw new Error(`${what}: unexpected body`)
  return body
}

/** A sign-in whose HTTP traffic is not measured (setup and recovery). */
const unmeasuredSignIn = (target: Target, nextUser: () => string) => signIn(httpSession(emptyCostSum()), target, nextUser())

export const scenarioFor = (id: LoadScenarioId, target: Target, nextUser: () => string, runId: string): Scenario => {
  switch (id) {
    case "sign-in":
      return { setup: async () => {}, op: async (_w, http) => void (await signIn(http, target, nextUser())) }
    case "refresh": {
      const chains: string[] = []
      const renew = async (w: number) => void (chains[w] = (await unmeasuredSignIn(target, nextUser)).refreshToken)
      return {
        setup: async (workers) => void (await Promise.all(Array.from({ length: workers }, (_, w) => renew(w)))),
        op: async (w, http) => {
          const old = chains[w]!
          const body = await expectJson(
            await http(target.tokenEndpoint, formPost({ grant_type: "refresh_token", refresh_token: old }, clientAuth)),
            "refresh",
            (b) => typeof b["access_token"] === "string" && typeof b["refresh_token"] === "string" && b["refresh_token"] !== old
          )
          chains[w] = body["refresh_token"] as string
        },
        recover: renew
      }
    }
    case "client-credentials":
      return {
        setup: async () => {},
        op: async (_w, http) =>
          void (await expectJson(await http(target.tokenEndpoint, formPost({ grant_type: "client_credentials" }, clientAuth)), "client_credentials", (b) => typeof b["access_token"] === "string"))
      }
    case "introspection": {
      let token = ""
      return {
        setup: async () => void (token = (await unmeasuredSignIn(target, nextUser)).accessToken),
        op: async (_w, http) =>
          void (await expectJson(await http(target.introspectionEndpoint, formPost({ token }, clientAuth)), "introspection", (b) => b["active"] === true))
      }
    }
    case "userinfo": {
      let token = ""
      return {
        setup: async () => void (token = (await unmeasuredSignIn(target, nextUser)).accessToken),
        op: async (_w, http) =>
          void (await expectJson(await http(target.userinfoEndpoint, { headers: { authorization: `Bearer ${token}` } }), "userinfo", (b) => typeof b["sub"] === "string"))
      }
    }
    case "remembered-consent": {
      // Each worker's user consents once in setup (the full flow); every op is that user's next sign-in:
      // a fresh user agent (login again) whose consent is remembered, ending at the token response.
      const users: string[] = []
      return {
        setup: async (workers) => {
          for (let w = 0; w < workers; w++) users[w] = nextUser()
          await Promise.all(users.map((email) => signIn(httpSession(emptyCostSum()), target, email)))
        },
        op: async (w, http) => void (await signIn(http, target, users[w]!, "rememberedConsent"))
      }
    }
    case "discovery": {
      // Alternately the metadata and the JWKS: what an RP (or a resource server) fetches before anything else.
      const discoveryUrl = new URL("/.well-known/openid-configuration", target.issuer).toString()
      const jwksUrl = new URL("/jwks", target.issuer).toString()
      return {
        setup: async () => {},
        op: async (_w, http, n) =>
          void (n % 2 === 0
            ? await expectJson(await http(discoveryUrl), "discovery", (b) => b["issuer"] === target.issuer)
            : await expectJson(await http(jwksUrl), "jwks", (b) => Array.isArray(b["keys"]) && b["keys"].length > 0))
      }
    }
    case "api-call":
      throw new Error("Authrim's api-call is its userinfo scenario (bench/peer_loop.ts maps it)")
    case "rate-limit-check":
      return {
        setup: async () => {},
        // A distinct key per op: every check creates a counter, the expensive case for a limiter.
        op: async (_w, http, n) =>
          void (await expectJson(await http(target.rateLimitCheckEndpoint, formPost({ key: `${runId}-${target.id}-${n}` })), "rate-limit-check", (b) => b["allowed"] === true))
      }
  }
}
