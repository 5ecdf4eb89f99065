/**
 * Per-target configuration of the load generator: the endpoints come from
 * each provider's discovery document; the form field names from its pages.
 * Everything else — the driver, the scenarios — is shared.
 */
import type { TargetId } from "../results.ts"

export interface Target {
  readonly id: TargetId
  readonly issuer: string
  readonly authorizationEndpoint: string
  readonly tokenEndpoint: string
  readonly userinfoEndpoint: string
  readonly introspectionEndpoint: string
  readonly rateLimitCheckEndpoint: string
  /** Names of the login form's fields and of the consent form's approve button. */
  readonly form: { readonly email: string; readonly password: string; readonly decision: string; readonly approve: string }
}

/** Both providers' pages use the same names (bench/reference/interaction_pages.ts copies Authrim's). */
const formNames = { authrim: { email: "email", password: "password", decision: "decision", approve: "approve" }, reference: { email: "email", password: "password", decision: "decision", approve: "approve" } } as const

/** Reads the discovery document of the provider at `baseUrl`. */
export const discoverTarget = async (id: TargetId, baseUrl: string): Promise<Target> => {
  const response = await fetch(new URL("/.well-known/openid-configuration", baseUrl))
  if (!response.ok) throw new Error(`${id}: discovery answered ${response.status}`)
  const meta = (await response.json()) as Record<string, unknown>
  const endpoint = (name: string) => {
    const value = meta[name]
    if (typeof value !== "string") throw new Error(`${id}: discovery has no ${name}`)
    return value
  }
  return {
    id,
    issuer: endpoint("issuer"),
    authorizationEndpoint: endpoint("authorization_endpoint"),
    tokenEndpoint: endpoint("token_endpoint"),
    userinfoEndpoint: endpoint("userinfo_endpoint"),
    introspectionEndpoint: endpoint("introspection_endpoint"),
    rateLimitCheckEndpoint: new URL("/dev/rate-limit-check", baseUrl).toString(),
    form: formNames[id]
  }
}
