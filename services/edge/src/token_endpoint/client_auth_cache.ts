/**
 * Isolate-memory cache of SUCCESSFUL client authentications by secret or as a
 * public client (issue 10): a refresh is then edge → tokens → keys, with no
 * identity call for the client. Keyed by client id, method and SHA-256 of the
 * presented secret; the secret itself is never kept. Failures are never
 * cached: every wrong secret still goes to identity (which compares in
 * constant time), so guessing gets no faster.
 *
 * Staleness: an entry lives {@link CLIENT_AUTH_TTL_MS} (30 s), the same bound
 * identity's own client cache already gives every other isolate after a
 * client or secret change (services/identity/src/clients/client_memory_cache.ts).
 * `private_key_jwt` is not cached: each assertion is single use.
 */
import type { Client, ClientAuthMethod } from "@authrim/contracts"
import { sha256Hex } from "@authrim/platform"
import { Effect } from "effect"

/** How long an authentication is reused in this isolate. */
export const CLIENT_AUTH_TTL_MS = 30_000
/** Hot clients only: the token endpoint of one isolate sees few distinct clients at a time. */
const MAX_ENTRIES = 1_000

const entries = new Map<string, { readonly client: Client; readonly expiresAt: number }>()

/** The cache key of a presented credential: id, method and the secret's SHA-256 (hex), never the secret. */
export const clientAuthKey = (clientId: string, method: ClientAuthMethod, secret: string | null): Effect.Effect<string> =>
  secret === null
    ? Effect.succeed(`${method}\n${clientId}\n`)
    : Effect.map(sha256Hex(secret), (digest) => `${method}\n${clientId}\n${digest}`)

/** The client of a still-fresh authentication with this key, else undefined. */
export const cachedClientAuth = (key: string, now: number): Client | undefined => {
  const entry = entries.get(key)
  if (entry === undefined) return undefined
  if (entry.expiresAt <= now) {
    entries.delete(key)
    return undefined
  }
  return entry.client
}

/** Remembers a successful authentication; the oldest entry leaves when the map is full. */
export const rememberClientAuth = (key: string, client: Client, now: number): void => {
  entries.delete(key)
  if (entries.size >= MAX_ENTRIES) {
    const oldest = entries.keys().next()
    if (oldest.done !== true) entries.delete(oldest.value)
  }
  entries.set(key, { client, expiresAt: now + CLIENT_AUTH_TTL_MS })
}

/**
 * Drops this isolate's cached authentications of `clientId` (every method and
 * secret). The edge code that changes a client (the admin API: update, secret
 * rotation, delete) calls it after the identity call succeeds, so the isolate
 * that made the change refuses an old secret or a deleted client on its very
 * next request; other isolates within {@link CLIENT_AUTH_TTL_MS}.
 */
export const forgetClientAuth = (clientId: string): void => {
  for (const key of entries.keys()) {
    if (key.split("\n")[1] === clientId) entries.delete(key)
  }
}

/** Drops every entry (tests). */
export const clearClientAuthCache = (): void => entries.clear()
