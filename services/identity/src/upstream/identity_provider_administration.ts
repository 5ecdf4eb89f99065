/**
 * Identity providers through the admin API: list (enabled or not), read,
 * create, versioned update, enable/disable, delete. The client secret is
 * write-only (a view says `hasClientSecret`); it stays in `config_json` as
 * before (storage-schema.md says why and how it is protected). Writes are
 * conditional statements (`WHERE version = ?`), so of concurrent writers at one
 * version exactly one wins. Each write drops this isolate's provider cache.
 * Audited as `admin.action` (identity_provider.*), never with the secret.
 */
import {
  AlreadyExists,
  NotFound,
  tryD1,
  VersionMismatch,
  type IdentityProviderChanges,
  type IdentityProviderView,
  type NewIdentityProvider
} from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { auditAdminAction } from "../identity_audit.ts"
import { checkedProviderConfig } from "./identity_provider_admin_checks.ts"
import { recordFromRow, type IdentityProviderRow } from "./identity_provider_record.ts"
import { UpstreamBindings, upstreamServiceName } from "./upstream_bindings.ts"

type AdminRow = IdentityProviderRow & { readonly version: number; readonly created_at: number; readonly updated_at: number }

const viewOf = (row: AdminRow): IdentityProviderView | null => {
  const record = recordFromRow(row)
  if (record === null) return null
  const c = record.config
  return {
    id: record.id, providerType: record.providerType, name: record.name, enabled: record.enabled,
    issuer: c.issuer ?? null, clientId: c.client_id, hasClientSecret: typeof c.client_secret === "string" && c.client_secret !== "",
    scopes: c.scopes ?? null, tokenEndpointAuthMethod: c.token_endpoint_auth_method ?? null,
    authorizationEndpoint: c.authorization_endpoint ?? null, tokenEndpoint: c.token_endpoint ?? null, userinfoEndpoint: c.userinfo_endpoint ?? null,
    claims: c.claims === undefined ? null : { sub: c.claims.sub, email: c.claims.email, emailVerified: c.claims.email_verified, name: c.claims.name },
    version: row.version, createdAt: row.created_at, updatedAt: row.updated_at
  }
}

/** The admin input that would recreate a stored provider (the secret included: merged, never answered). */
const inputOf = (row: AdminRow): NewIdentityProvider | null => {
  const record = recordFromRow(row)
  if (record === null) return null
  const c = record.config
  const claims = c.claims === undefined ? undefined : { sub: c.claims.sub, email: c.claims.email, emailVerified: c.claims.email_verified, name: c.claims.name }
  return {
    id: record.id, providerType: record.providerType, name: record.name, enabled: record.enabled, issuer: c.issuer, clientId: c.client_id,
    clientSecret: c.client_secret ?? undefined, scopes: c.scopes, tokenEndpointAuthMethod: c.token_endpoint_auth_method,
    authorizationEndpoint: c.authorization_endpoint, tokenEndpoint: c.token_endpoint, userinfoEndpoint: c.userinfo_endpoint, claims
  }
}

const findRow = Effect.fnUntraced(function*(id: string) {
  const { db } = yield* UpstreamBindings
  return yield* tryD1(upstreamServiceName, "identity_providers.adminById", () =>
    db.prepare("SELECT * FROM identity_providers WHERE id = ?").bind(id).first<AdminRow>())
})

/** Every provider, by name (a row whose config no longer decodes is left out; the login page logs it). */
export const listIdentityProviders = Effect.fnUntraced(function*() {
  const { db } = yield* UpstreamBindings
  const { results } = yield* tryD1(upstreamServiceName, "identity_providers.adminAll", () =>
    db.prepare("SELECT * FROM identity_providers ORDER BY name, id").all<AdminRow>())
  return { providers: results.flatMap((row) => viewOf(row) ?? []) }
})

/** One provider; `NotFound` for an unknown (or undecodable) id. */
export const getIdentityProvider = Effect.fnUntraced(function*(input: { readonly providerId: string }) {
  const row = yield* findRow(input.providerId)
  const view = row === null ? null : viewOf(row)
  if (view === null) return yield* new NotFound({ what: "identity provider" })
  return view
})

/** Creates a provider at version 1; a taken id is `AlreadyExists`. */
export const createIdentityProvider = Effect.fnUntraced(function*(input: { readonly provider: NewIdentityProvider; readonly actorId: string }) {
  const { db, providers } = yield* UpstreamBindings
  const config = checkedProviderConfig(input.provider)
  if (config instanceof Error) return yield* config
  const now = yield* Clock.currentTimeMillis
  const p = input.provider
  const result = yield* tryD1(upstreamServiceName, "identity_providers.insert", () =>
    db.prepare(
      `INSERT INTO identity_providers (id, provider_type, name, config_json, enabled, version, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6) ON CONFLICT DO NOTHING`
    ).bind(p.id, p.providerType, p.name, JSON.stringify(config), p.enabled === false ? 0 : 1, now).run())
  if (result.meta.changes === 0) return yield* new AlreadyExists({ what: "identity provider", field: "id" })
  providers.invalidate()
  yield* auditAdminAction({
    actorId: input.actorId, action: "identity_provider.created", subject: { kind: "identity_provider", id: p.id },
    details: { provider_type: p.providerType, enabled: p.enabled !== false, has_secret: p.clientSecret !== undefined }
  })
  return yield* getIdentityProvider({ providerId: p.id })
})

const lostWrite = Effect.fnUntraced(function*(id: string) {
  const row = yield* findRow(id)
  if (row === null) return yield* new NotFound({ what: "identity provider" })
  return yield* new VersionMismatch({ what: "identity provider", currentVersion: row.version })
})

/** `changes` over the stored provider: absent stays, null clears. */
const merged = (current: NewIdentityProvider, changes: IdentityProviderChanges): NewIdentityProvider => {
  const pick = <K extends keyof IdentityProviderChanges & keyof NewIdentityProvider>(key: K) => {
    const change = changes[key]
    return change === undefined ? current[key] : change === null ? undefined : change
  }
  return {
    ...current,
    name: changes.name ?? current.name, clientId: changes.clientId ?? current.clientId, enabled: changes.enabled ?? current.enabled,
    issuer: pick("issuer"), clientSecret: pick("clientSecret"), scopes: pick("scopes"),
    tokenEndpointAuthMethod: pick("tokenEndpointAuthMethod"), authorizationEndpoint: pick("authorizationEndpoint"),
    tokenEndpoint: pick("tokenEndpoint"), userinfoEndpoint: pick("userinfoEndpoint"), claims: pick("claims")
  } as NewIdentityProvider
}

/** Applies `changes` at `expectedVersion` (the merged provider is checked whole). */
export const updateIdentityProvider = Effect.fnUntraced(function*(input: {
  readonly providerId: string
  readonly expectedVersion: number
  readonly changes: IdentityProviderChanges
  readonly actorId: string
}) {
  const { db, providers } = yield* UpstreamBindings
  const row = yield* findRow(input.providerId)
  const current = row === null ? null : inputOf(row)
  if (row === null || current === null) return yield* new NotFound({ what: "identity provider" })
  if (row.version !== input.expectedVersion) return yield* new VersionMismatch({ what: "identity provider", currentVersion: row.version })
  const next = merged(current, input.changes)
  const config = checkedProviderConfig(next)
  if (config instanceof Error) return yield* config
  const now = yield* Clock.currentTimeMillis
  const result = yield* tryD1(upstreamServiceName, "identity_providers.update", () =>
    db.prepare(
      `UPDATE identity_providers SET name = ?1, config_json = ?2, enabled = ?3, version = version + 1, updated_at = ?4
       WHERE id = ?5 AND version = ?6`
    ).bind(next.name, JSON.stringify(config), next.enabled === false ? 0 : 1, now, input.providerId, input.expectedVersion).run())
  if (result.meta.changes === 0) return yield* lostWrite(input.providerId)
  providers.invalidate()
  yield* auditAdminAction({
    actorId: input.actorId, action: "identity_provider.updated", subject: { kind: "identity_provider", id: input.providerId },
    details: {
      fields: Object.entries(input.changes).flatMap(([k, v]) => (v === undefined ? [] : [k])).join(","),
      secret_changed: input.changes.clientSecret !== undefined
    }
  })
  return yield* getIdentityProvider({ providerId: input.providerId })
})

/** Enables or disables a provider; idempotent (no write, no audit when already so). */
export const setIdentityProviderEnabled = Effect.fnUntraced(function*(input: { readonly providerId: string; readonly enabled: boolean; readonly actorId: string }) {
  const { db, providers } = yield* UpstreamBindings
  const now = yield* Clock.currentTimeMillis
  const result = yield* tryD1(upstreamServiceName, "identity_providers.setEnabled", () =>
    db.prepare("UPDATE identity_providers SET enabled = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3 AND enabled <> ?1")
      .bind(input.enabled ? 1 : 0, now, input.providerId).run())
  if (result.meta.changes > 0) {
    providers.invalidate()
    yield* auditAdminAction({
      actorId: input.actorId, action: input.enabled ? "identity_provider.enabled" : "identity_provider.disabled",
      subject: { kind: "identity_provider", id: input.providerId }
    })
  }
  return yield* getIdentityProvider({ providerId: input.providerId })
})

/** Deletes a provider at `expectedVersion`; its user links go by the foreign key's cascade (counted first, same batch). */
export const deleteIdentityProvider = Effect.fnUntraced(function*(input: { readonly providerId: string; readonly expectedVersion: number; readonly actorId: string }) {
  const { db, providers } = yield* UpstreamBindings
  const [links, deleted] = yield* tryD1(upstreamServiceName, "identity_providers.delete", () =>
    db.batch<unknown>([
      db.prepare("SELECT COUNT(*) AS n FROM user_identities WHERE provider_id = ?").bind(input.providerId),
      db.prepare("DELETE FROM identity_providers WHERE id = ? AND version = ?").bind(input.providerId, input.expectedVersion)
    ]))
  if (deleted!.meta.changes === 0) return yield* lostWrite(input.providerId)
  providers.invalidate()
  const linksRemoved = (links!.results[0] as { n: number }).n
  yield* auditAdminAction({
    actorId: input.actorId, action: "identity_provider.deleted", subject: { kind: "identity_provider", id: input.providerId },
    details: { links_removed: linksRemoved }
  })
  return { linksRemoved }
})
