/** OAuth clients: registration (D1 + cache invalidation), lookup and token-endpoint authentication. */
import { NotFound, OAuthError, tryD1, type ClientAuthMethod, type ClientInput, type UpsertedClient } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { invalidateClient, loadClient } from "./client_cache.ts"
import { normalizeClientInput } from "./client_metadata.ts"
import { clientUpsertStatement } from "./client_row_write.ts"
import { hashClientSecret, verifyClientSecret } from "./client_secret.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { auditClientChange, type ClientChange } from "../identity_audit.ts"

/** Client metadata by id (memory → KV → D1); `NotFound` for unknown ids. */
export const getClient = Effect.fnUntraced(function*(clientId: string) {
  const cached = yield* loadClient(clientId)
  if (!cached.found) return yield* new NotFound({ what: "client" })
  return cached.client
})

/**
 * Creates or replaces a client. A confidential client sent without a secret
 * gets a generated one (a replace without a secret therefore rotates it: the
 * old one stops working). The write is one idempotent upsert (safe to
 * retry); afterwards the KV entry (including a negative one) and this
 * isolate's memory copy are dropped, so the next read sees the new row.
 *
 * Audit: `client.created`, `client.updated`, or `client.secret_rotated` when
 * the stored secret hash changed to a new secret (one event per call; it
 * reads the previous row's hash for that — client writes are rare, admin-only).
 */
export const upsertClient = Effect.fnUntraced(function*(input: ClientInput) {
  const metadata = yield* normalizeClientInput(input)
  const { db } = yield* IdentityBindings
  const secret = metadata.clientSecret
  const secretHash = secret === null ? null : yield* hashClientSecret(secret)
  const now = yield* Clock.currentTimeMillis
  const previous = yield* tryD1(serviceName, "oauth_clients.previousSecret", () =>
    db.prepare("SELECT client_secret_hash FROM oauth_clients WHERE client_id = ?").bind(metadata.clientId)
      .first<{ client_secret_hash: string | null }>())
  yield* tryD1(serviceName, "oauth_clients.upsert", () => clientUpsertStatement(db, metadata, secretHash, now).run())
  yield* invalidateClient(metadata.clientId)
  const change: ClientChange = previous === null ? "client.created"
    : secretHash !== null && secretHash !== previous.client_secret_hash ? "client.secret_rotated"
    : "client.updated"
  yield* auditClientChange({
    type: change,
    clientId: metadata.clientId,
    details: { auth_method: metadata.tokenEndpointAuthMethod, generated: metadata.clientSecretGenerated }
  })
  const client = yield* getClient(metadata.clientId)
  // A generated secret leaves the service this once; only its hash is stored.
  const answer: UpsertedClient = metadata.clientSecretGenerated && secret !== null ? { ...client, generatedClientSecret: secret } : client
  return answer
})

/** The secret replaced by a rotation, while its grace period lasts (admin API, client_administration.ts). */
const matchesPreviousSecret = Effect.fnUntraced(function*(presented: string, previous: { readonly hash: string; readonly expiresAt: number } | undefined) {
  if (previous === undefined || previous.expiresAt <= (yield* Clock.currentTimeMillis)) return false
  return yield* verifyClientSecret(presented, previous.hash)
})

const invalidClient = () => new OAuthError({ code: "invalid_client", description: "client authentication failed" })

/**
 * Token-endpoint client authentication (RFC 6749 §2.3, OIDC Core §9). The
 * presented method must be the registered one — a confidential client cannot
 * downgrade to `none`, a `client_secret_basic` client cannot switch to the
 * body — and the secret must match in constant time. Every failure, including
 * an unknown client, is the same `invalid_client`.
 */
export const authenticateClient = Effect.fnUntraced(function*(input: {
  readonly clientId: string
  readonly method: ClientAuthMethod
  readonly clientSecret: string | null
}) {
  const cached = yield* loadClient(input.clientId)
  if (!cached.found || cached.client.tokenEndpointAuthMethod !== input.method) return yield* invalidClient()
  // private_key_jwt is authenticated only by authenticateClientAssertion (client_assertion.ts).
  if (input.method === "private_key_jwt") return yield* invalidClient()
  if (input.method === "none") {
    if (input.clientSecret !== null) return yield* invalidClient()
    return cached.client
  }
  const { secretHash } = cached
  if (input.clientSecret === null || secretHash === null) return yield* invalidClient()
  const presented = input.clientSecret
  const matches = yield* verifyClientSecret(presented, secretHash)
  if (!matches && !(yield* matchesPreviousSecret(presented, cached.previousSecret))) return yield* invalidClient()
  return cached.client
})
