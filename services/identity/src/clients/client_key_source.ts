/**
 * Where a `private_key_jwt` client's public keys come from: its registered
 * `jwks` (by value), or its `jwks_uri` through one jose remote JWK set per URL
 * kept in isolate memory — keys cached 5 minutes, refetched at most every
 * 30 s when an assertion names an unknown `kid` (how a client's key rotation
 * is picked up), 5 s fetch timeout. The edge stays thin; only the identity
 * service fetches client keys.
 */
import type { Client } from "@authrim/contracts"
import { createLocalJWKSet, createRemoteJWKSet, type FlattenedJWSInput, type JSONWebKeySet, type JWSHeaderParameters } from "jose"

/** How long keys fetched from a `jwks_uri` are trusted. */
export const CLIENT_JWKS_TTL_MS = 5 * 60_000
/** Most distinct `jwks_uri`s kept in one isolate (the map is dropped whole beyond it). */
const MAX_REMOTE_SETS = 1000

/** What jose's jwtVerify takes as a key: a function of the protected header. */
type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>

const remoteSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>()

const remoteKeySet = (uri: string) => {
  const known = remoteSets.get(uri)
  if (known !== undefined) return known
  if (remoteSets.size >= MAX_REMOTE_SETS) remoteSets.clear()
  const created = createRemoteJWKSet(new URL(uri), { cacheMaxAge: CLIENT_JWKS_TTL_MS, cooldownDuration: 30_000, timeoutDuration: 5_000 })
  remoteSets.set(uri, created)
  return created
}

/** The key resolver of a client, or null when it has no keys registered. */
export const clientKeySource = (client: Client): KeyResolver | null => {
  if (client.jwks !== undefined && client.jwks !== null) {
    // Registration checked every key is a public JWK object; jose ignores members it does not use.
    const set: JSONWebKeySet = { keys: client.jwks.keys.map((key) => ({ ...key, kty: String(key["kty"]) })) }
    return createLocalJWKSet(set)
  }
  if (client.jwksUri !== undefined && client.jwksUri !== null) return remoteKeySet(client.jwksUri)
  return null
}
