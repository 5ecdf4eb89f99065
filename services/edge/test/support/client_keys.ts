/**
 * A `private_key_jwt` client as an RP holds it: a key pair made with jose in
 * the test, the public half registered as the client's `jwks`, and RFC 7523
 * assertions signed with the private half.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose"
import { ORIGIN } from "./browser.ts"
import { env } from "cloudflare:workers"
import { REDIRECT_URI, type SeededClient } from "./fixtures.ts"
import type { ClientInput } from "@authrim/contracts"

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

/** A key pair and its public JWK. */
export interface ClientKey {
  readonly alg: "RS256" | "ES256" | "PS256" | "EdDSA"
  readonly privateKey: CryptoKey
  readonly publicJwk: JWK
}

/** A fresh key pair for `alg`. */
export const clientKey = async (alg: ClientKey["alg"] = "ES256"): Promise<ClientKey> => {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return { alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid: crypto.randomUUID(), alg, use: "sig" } }
}

/** Registers a private_key_jwt client with `key` in its `jwks`. */
export const seedKeyClient = async (key: ClientKey, overrides: Partial<ClientInput> = {}): Promise<SeededClient> => {
  const result = await env.IDENTITY_SEED.upsertClient({
    clientId: `key-client-${crypto.randomUUID().slice(0, 8)}`,
    redirectUris: [REDIRECT_URI],
    grantTypes: ["authorization_code", "refresh_token"],
    tokenEndpointAuthMethod: "private_key_jwt",
    jwks: { keys: [key.publicJwk] },
    ...overrides
  })
  if (result._tag === "Failure") throw new Error(`seeding failed: ${JSON.stringify(result.error)}`)
  return { clientId: result.value.clientId, secret: null }
}

/** Claims an assertion may override (null removes the claim). */
export interface AssertionOverrides {
  readonly iss?: string
  readonly sub?: string
  readonly aud?: string | ReadonlyArray<string>
  readonly jti?: string | null
  /** Seconds from now; null leaves `exp` out. */
  readonly expiresIn?: number | null
}

/** An RFC 7523 client assertion for `clientId` signed with `key` (aud = the token endpoint unless overridden). */
export const clientAssertion = async (clientId: string, key: ClientKey, overrides: AssertionOverrides = {}): Promise<string> => {
  const now = Math.floor(Date.now() / 1000)
  const jti = overrides.jti === undefined ? crypto.randomUUID() : overrides.jti
  const expiresIn = overrides.expiresIn === undefined ? 60 : overrides.expiresIn
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: key.publicJwk.kid! })
    .setIssuer(overrides.iss ?? clientId)
    .setSubject(overrides.sub ?? clientId)
    .setAudience(overrides.aud === undefined ? `${ORIGIN}/token` : [...(typeof overrides.aud === "string" ? [overrides.aud] : overrides.aud)])
    .setIssuedAt(now)
  if (jti !== null) jwt.setJti(jti)
  if (expiresIn !== null) jwt.setExpirationTime(now + expiresIn)
  return jwt.sign(key.privateKey)
}

/** The body fields that authenticate with `assertion`. */
export const assertionFields = (assertion: string): Record<string, string> => ({ client_assertion_type: JWT_BEARER, client_assertion: assertion })
