/**
 * Test data created through the identity service (the real backend), each
 * test with its own ids so the files never see each other's rows.
 */
import { env } from "cloudflare:workers"
import type { ClientInput } from "@authrim/contracts"

/** A registered redirect URI of the test RPs. */
export const REDIRECT_URI = "https://rp.test/cb"

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`

const unwrap = <T>(result: { _tag: "Success"; value: T } | { _tag: "Failure"; error: unknown }): T => {
  if (result._tag === "Failure") throw new Error(`seeding failed: ${JSON.stringify(result.error)}`)
  return result.value
}

/** A seeded client: its id and (for confidential ones) its plaintext secret. */
export interface SeededClient {
  readonly clientId: string
  readonly secret: string | null
}

/** Registers a client; confidential (client_secret_basic) unless overridden. */
export const seedClient = async (overrides: Partial<ClientInput> = {}): Promise<SeededClient> => {
  const isPublic = overrides.tokenEndpointAuthMethod === "none"
  const secret = isPublic ? null : overrides.clientSecret ?? `secret:${crypto.randomUUID()} +&%=`
  const client = unwrap(await env.IDENTITY_SEED.upsertClient({
    clientId: unique("client"),
    clientName: "Test RP",
    redirectUris: [REDIRECT_URI, "https://rp.test/other"],
    grantTypes: ["authorization_code", "refresh_token"],
    tokenEndpointAuthMethod: "client_secret_basic",
    ...overrides,
    clientSecret: secret
  }))
  return { clientId: client.clientId, secret }
}

/** A seeded user with a password. */
export interface SeededUser {
  readonly id: string
  readonly email: string
  readonly password: string
}

/** Creates a user. */
export const seedUser = async (): Promise<SeededUser> => {
  const email = `${unique("user")}@example.test`
  const password = `pw-${crypto.randomUUID()}`
  const user = unwrap(await env.IDENTITY_SEED.upsertUser({ email, password, name: "Test User", emailVerified: true }))
  return { id: user.id, email, password }
}
