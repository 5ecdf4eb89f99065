/**
 * Client administration for the admin API (contracts/src/client_admin.ts).
 * Every write is one conditional statement (`WHERE client_id = ? AND version = ?`):
 * of concurrent writers at one version exactly one changes the row, the rest
 * are `VersionMismatch`, and a refused write leaves the row as it was. After a
 * write the client's cached copies are dropped (client_cache.ts
 * `invalidateClient`, what `upsertClient` calls), so the next request sees it.
 */
import {
  AlreadyExists, NotFound, OAuthError, tryD1, VersionMismatch,
  type ClientChanges, type ClientInput, type ClientRecord, type NewClient
} from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { auditClientChange } from "../identity_audit.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { invalidateClient } from "./client_cache.ts"
import { normalizeClientInput, type ClientMetadata } from "./client_metadata.ts"
import { cachedFromRow, type ClientRow } from "./client_record.ts"
import { generateClientSecret, hashClientSecret } from "./client_secret.ts"

/** The row with the columns the admin API adds (migration 0012). */
interface AdminClientRow extends ClientRow {
  readonly version: number
  readonly created_at: number
  readonly updated_at: number
  readonly logo_uri: string | null
  readonly policy_uri: string | null
  readonly tos_uri: string | null
}

/** The admin's view of a row; a previous secret whose grace period is over is not mentioned. */
const recordFromRow = (row: AdminClientRow, now: number): ClientRecord => {
  const cached = cachedFromRow(row)
  if (!cached.found) throw new Error("unreachable: a row is a found client")
  const graceEnds = row.previous_secret_hash != null && row.previous_secret_expires_at != null && row.previous_secret_expires_at > now
    ? row.previous_secret_expires_at
    : null
  return {
    ...cached.client,
    logoUri: row.logo_uri,
    policyUri: row.policy_uri,
    tosUri: row.tos_uri,
    hasSecret: row.client_secret_hash !== null,
    previousSecretExpiresAt: graceEnds,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

const findRow = Effect.fnUntraced(function*(clientId: string) {
  const { db } = yield* IdentityBindings
  return yield* tryD1(serviceName, "oauth_clients.adminById", () =>
    db.prepare("SELECT * FROM oauth_clients WHERE client_id = ?").bind(clientId).first<AdminClientRow>())
})

const readRecord = Effect.fnUntraced(function*(clientId: string) {
  const row = yield* findRow(clientId)
  if (row === null) return yield* new NotFound({ what: "client" })
  return recordFromRow(row, yield* Clock.currentTimeMillis)
})

/** Why a conditional write changed nothing: the client is gone, or at another version. */
const lostWrite = Effect.fnUntraced(function*(clientId: string) {
  const row = yield* findRow(clientId)
  if (row === null) return yield* new NotFound({ what: "client" })
  return yield* new VersionMismatch({ what: "client", currentVersion: row.version })
})

/** Clients ordered by id, a page at a time. */
export const listClients = Effect.fnUntraced(function*(input: { readonly cursor?: string | undefined; readonly limit?: number | undefined }) {
  const { db } = yield* IdentityBindings
  const limit = Math.min(200, Math.max(1, Math.floor(input.limit ?? 50)))
  const { results } = yield* tryD1(serviceName, "oauth_clients.page", () =>
    db.prepare("SELECT * FROM oauth_clients WHERE client_id > ? ORDER BY client_id LIMIT ?").bind(input.cursor ?? "", limit + 1).all<AdminClientRow>())
  const now = yield* Clock.currentTimeMillis
  const page = results.slice(0, limit)
  return { clients: page.map((row) => recordFromRow(row, now)), nextCursor: results.length > limit ? page[page.length - 1]!.client_id : null }
})

/** One client with its version. */
export const getClientRecord = Effect.fnUntraced(function*(input: { readonly clientId: string }) {
  return yield* readRecord(input.clientId)
})

/** The columns every admin write sets, in the order of {@link columnValues}. */
const settingsColumns = [
  "client_name", "redirect_uris", "post_logout_redirect_uris", "grant_types", "response_types", "token_endpoint_auth_method",
  "scope", "id_token_signed_response_alg", "skip_consent", "backchannel_logout_uri", "backchannel_logout_session_required",
  "frontchannel_logout_uri", "frontchannel_logout_session_required", "request_uris", "fapi_profile",
  "jwks", "jwks_uri", "require_pushed_authorization_requests", "online_refresh_tokens", "logo_uri", "policy_uri", "tos_uri", "dpop_bound_access_tokens",
  "token_exchange_policy", "resources", "subject_type", "sector_identifier_uri"
] as const

/** The settings `normalizeClientInput` does not know (admin API only): page links and the DPoP requirement. */
interface PageLinks {
  readonly logoUri: string | null
  readonly policyUri: string | null
  readonly tosUri: string | null
  readonly dpopBoundAccessTokens?: boolean
}

const columnValues = (m: ClientMetadata, links: PageLinks): Array<string | number | null> => [
  m.clientName, JSON.stringify(m.redirectUris), JSON.stringify(m.postLogoutRedirectUris), JSON.stringify(m.grantTypes),
  JSON.stringify(m.responseTypes), m.tokenEndpointAuthMethod, m.scope, m.idTokenSignedResponseAlg, m.skipConsent ? 1 : 0,
  m.backchannelLogoutUri, m.backchannelLogoutSessionRequired ? 1 : 0,
  m.frontchannelLogoutUri, m.frontchannelLogoutSessionRequired ? 1 : 0,
  m.requestUris.length === 0 ? null : JSON.stringify(m.requestUris), m.fapiProfile, m.jwks === null ? null : JSON.stringify(m.jwks), m.jwksUri,
  m.requirePushedAuthorizationRequests ? 1 : 0, m.onlineRefreshTokens ? 1 : 0, links.logoUri, links.policyUri, links.tosUri,
  links.dpopBoundAccessTokens === true ? 1 : 0,
  m.tokenExchangePolicy === null ? null : JSON.stringify(m.tokenExchangePolicy),
  m.resources.length === 0 ? null : JSON.stringify(m.resources),
  m.subjectType, m.sectorIdentifierUri
]

/** A page link must be an absolute https URL (http only for localhost), like every URL a browser is sent to. */
const checkPageLinks = Effect.fnUntraced(function*(links: PageLinks) {
  for (const [field, value] of Object.entries(links)) {
    if (typeof value !== "string") continue
    let url: URL | null = null
    try {
      url = new URL(value)
    } catch {
      url = null
    }
    const local = url !== null && (url.hostname === "localhost" || url.hostname === "127.0.0.1")
    if (url === null || !(url.protocol === "https:" || (local && url.protocol === "http:")) || value.includes("#")) {
      return yield* new OAuthError({ code: "invalid_client_metadata", description: `${field} must be an absolute https URL without fragment` })
    }
  }
  return links
})

const linksOf = (settings: Partial<PageLinks>, current: PageLinks | null): PageLinks => ({
  logoUri: settings.logoUri === undefined ? current?.logoUri ?? null : settings.logoUri,
  policyUri: settings.policyUri === undefined ? current?.policyUri ?? null : settings.policyUri,
  tosUri: settings.tosUri === undefined ? current?.tosUri ?? null : settings.tosUri,
  dpopBoundAccessTokens: settings.dpopBoundAccessTokens ?? current?.dpopBoundAccessTokens ?? false
})

const withoutPageLinks = <T extends Partial<PageLinks>>(settings: T): Omit<T, keyof PageLinks> => {
  const { logoUri: _l, policyUri: _p, tosUri: _t, dpopBoundAccessTokens: _d, ...rest } = settings
  return rest
}

/** Creates a client; its id is the admin's or a fresh UUID; the generated secret is answered once. */
export const createClient = Effect.fnUntraced(function*(input: { readonly client: NewClient; readonly actorId: string }) {
  const { db } = yield* IdentityBindings
  const { clientId: requestedId, ...settings } = input.client
  const clientId = requestedId ?? crypto.randomUUID()
  const links = yield* checkPageLinks(linksOf(settings, null))
  // Never a caller-chosen secret here: the server generates one (≥ 256 bits) for a confidential client.
  const metadata = yield* normalizeClientInput({ ...withoutPageLinks(settings), clientId, clientSecret: null })
  const secretHash = metadata.clientSecret === null ? null : yield* hashClientSecret(metadata.clientSecret)
  const now = yield* Clock.currentTimeMillis
  const result = yield* tryD1(serviceName, "oauth_clients.create", () =>
    db.prepare(
      `INSERT INTO oauth_clients (client_id, client_secret_hash, created_at, updated_at, version, ${settingsColumns.join(", ")})
       VALUES (?, ?, ?, ?, 1, ${settingsColumns.map(() => "?").join(", ")}) ON CONFLICT DO NOTHING`
    ).bind(clientId, secretHash, now, now, ...columnValues(metadata, links)).run())
  if (result.meta.changes === 0) return yield* new AlreadyExists({ what: "client", field: "clientId" })
  // An id looked up before it existed may be cached as unknown (KV negative entry): drop it.
  yield* invalidateClient(clientId)
  yield* auditClientChange({
    type: "client.created", clientId, actorId: input.actorId,
    details: { auth_method: metadata.tokenEndpointAuthMethod, generated: metadata.clientSecretGenerated }
  })
  return { client: yield* readRecord(clientId), clientSecret: metadata.clientSecret }
})

/** The contract input that reproduces `record` with `changes` applied. */
const mergedInput = (record: ClientRecord, changes: ClientChanges): ClientInput => ({
  clientId: record.clientId,
  clientName: changes.clientName ?? record.clientName,
  redirectUris: changes.redirectUris ?? record.redirectUris,
  postLogoutRedirectUris: changes.postLogoutRedirectUris ?? record.postLogoutRedirectUris,
  grantTypes: changes.grantTypes ?? record.grantTypes,
  responseTypes: record.responseTypes,
  tokenEndpointAuthMethod: changes.tokenEndpointAuthMethod ?? record.tokenEndpointAuthMethod,
  scope: changes.scope ?? record.scope,
  idTokenSignedResponseAlg: changes.idTokenSignedResponseAlg ?? record.idTokenSignedResponseAlg,
  skipConsent: changes.skipConsent ?? record.skipConsent,
  backchannelLogoutUri: changes.backchannelLogoutUri === undefined ? record.backchannelLogoutUri ?? null : changes.backchannelLogoutUri,
  backchannelLogoutSessionRequired: changes.backchannelLogoutSessionRequired ?? record.backchannelLogoutSessionRequired ?? false,
  frontchannelLogoutUri: changes.frontchannelLogoutUri === undefined ? record.frontchannelLogoutUri ?? null : changes.frontchannelLogoutUri,
  frontchannelLogoutSessionRequired: changes.frontchannelLogoutSessionRequired ?? record.frontchannelLogoutSessionRequired ?? false,
  requestUris: changes.requestUris ?? record.requestUris ?? [],
  fapiProfile: changes.fapiProfile === undefined ? record.fapiProfile ?? null : changes.fapiProfile,
  tokenExchangePolicy: changes.tokenExchangePolicy === undefined ? record.tokenExchangePolicy ?? null : changes.tokenExchangePolicy,
  resources: changes.resources === undefined ? record.resources ?? null : changes.resources,
  subjectType: changes.subjectType ?? record.subjectType ?? "public",
  sectorIdentifierUri: changes.sectorIdentifierUri === undefined ? record.sectorIdentifierUri ?? null : changes.sectorIdentifierUri,
  jwks: changes.jwks === undefined ? record.jwks ?? null : changes.jwks,
  jwksUri: changes.jwksUri === undefined ? record.jwksUri ?? null : changes.jwksUri,
  requirePushedAuthorizationRequests: changes.requirePushedAuthorizationRequests ?? record.requirePushedAuthorizationRequests ?? false,
  onlineRefreshTokens: changes.onlineRefreshTokens ?? record.onlineRefreshTokens ?? false,
  clientSecret: null
})

/**
 * Applies `changes` at `expectedVersion`. The registered secret is kept while
 * the client stays confidential; a client that becomes confidential gets a
 * generated secret (answered once); one that becomes public or
 * private_key_jwt loses its secret (and any previous one).
 */
export const updateClient = Effect.fnUntraced(function*(input: {
  readonly clientId: string
  readonly expectedVersion: number
  readonly changes: ClientChanges
  readonly actorId: string
}) {
  const { db } = yield* IdentityBindings
  const row = yield* findRow(input.clientId)
  if (row === null) return yield* new NotFound({ what: "client" })
  if (row.version !== input.expectedVersion) return yield* new VersionMismatch({ what: "client", currentVersion: row.version })
  const now = yield* Clock.currentTimeMillis
  const current = recordFromRow(row, now)
  const links = yield* checkPageLinks(linksOf(input.changes, current))
  const metadata = yield* normalizeClientInput(mergedInput(current, withoutPageLinks(input.changes)))
  const usesSecret = metadata.tokenEndpointAuthMethod === "client_secret_basic" || metadata.tokenEndpointAuthMethod === "client_secret_post"
  const newSecret = usesSecret && row.client_secret_hash === null ? generateClientSecret() : null
  const secretHash = !usesSecret ? null : newSecret === null ? row.client_secret_hash : yield* hashClientSecret(newSecret)
  const result = yield* tryD1(serviceName, "oauth_clients.update", () =>
    db.prepare(
      `UPDATE oauth_clients SET ${settingsColumns.map((c) => `${c} = ?`).join(", ")},
         client_secret_hash = ?, previous_secret_hash = CASE WHEN ? THEN previous_secret_hash END,
         previous_secret_expires_at = CASE WHEN ? THEN previous_secret_expires_at END,
         version = version + 1, updated_at = ?
       WHERE client_id = ? AND version = ?`
    ).bind(...columnValues(metadata, links), secretHash, usesSecret ? 1 : 0, usesSecret ? 1 : 0, now, input.clientId, input.expectedVersion).run())
  if (result.meta.changes === 0) return yield* lostWrite(input.clientId)
  yield* invalidateClient(input.clientId)
  yield* auditClientChange({
    type: "client.updated", clientId: input.clientId, actorId: input.actorId,
    details: { fields: Object.keys(input.changes).sort().join(" "), version: input.expectedVersion + 1, generated: newSecret !== null }
  })
  return { client: yield* readRecord(input.clientId), clientSecret: newSecret }
})

/** Deletes the client at `expectedVersion`; its consents cascade. Tokens already issued live until they expire. */
export const deleteClient = Effect.fnUntraced(function*(input: { readonly clientId: string; readonly expectedVersion: number; readonly actorId: string }) {
  const { db } = yield* IdentityBindings
  const result = yield* tryD1(serviceName, "oauth_clients.delete", () =>
    db.prepare("DELETE FROM oauth_clients WHERE client_id = ? AND version = ?").bind(input.clientId, input.expectedVersion).run())
  if (result.meta.changes === 0) return yield* lostWrite(input.clientId)
  yield* invalidateClient(input.clientId)
  yield* auditClientChange({ type: "client.deleted", clientId: input.clientId, actorId: input.actorId, details: { version: input.expectedVersion } })
  return {}
})

/**
 * A new secret; the replaced one keeps authenticating for `gracePeriodSeconds`
 * (0: not at all). A secret replaced earlier and still in its grace period is
 * dropped: there is one previous secret at most.
 */
export const rotateClientSecret = Effect.fnUntraced(function*(input: {
  readonly clientId: string
  readonly expectedVersion: number
  readonly gracePeriodSeconds: number
  readonly actorId: string
}) {
  const { db } = yield* IdentityBindings
  const row = yield* findRow(input.clientId)
  if (row === null) return yield* new NotFound({ what: "client" })
  if (row.client_secret_hash === null) {
    return yield* new OAuthError({ code: "invalid_request", description: "the client has no secret to rotate (public or private_key_jwt)" })
  }
  const secret = generateClientSecret()
  const hash = yield* hashClientSecret(secret)
  const now = yield* Clock.currentTimeMillis
  const grace = Math.max(0, Math.floor(input.gracePeriodSeconds))
  const result = yield* tryD1(serviceName, "oauth_clients.rotateSecret", () =>
    db.prepare(
      `UPDATE oauth_clients SET previous_secret_hash = CASE WHEN ?1 > 0 THEN client_secret_hash END,
         previous_secret_expires_at = CASE WHEN ?1 > 0 THEN ?2 END,
         client_secret_hash = ?3, version = version + 1, updated_at = ?4
       WHERE client_id = ?5 AND version = ?6 AND client_secret_hash IS NOT NULL`
    ).bind(grace, now + grace * 1000, hash, now, input.clientId, input.expectedVersion).run())
  if (result.meta.changes === 0) return yield* lostWrite(input.clientId)
  yield* invalidateClient(input.clientId)
  yield* auditClientChange({ type: "client.secret_rotated", clientId: input.clientId, actorId: input.actorId, details: { grace_seconds: grace } })
  return { client: yield* readRecord(input.clientId), clientSecret: secret }
})
