/**
 * `identity_providers`: create-or-update (admin / seed), the enabled list for
 * the login page, and one provider by id for a round trip. Reads go through
 * the isolate cache (`ProviderListCache`).
 */
import { logger, NotFound, tryD1, type IdentityProviderInput } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { configFromInput, recordFromRow, summaryOf, type IdentityProviderRow } from "./identity_provider_record.ts"
import { UpstreamBindings, upstreamServiceName } from "./upstream_bindings.ts"

/** Creates or replaces a provider; one idempotent upsert (safe under the D1 retry policy), `created_at` kept. */
export const upsertIdentityProvider = Effect.fnUntraced(function*(input: IdentityProviderInput) {
  const config = yield* configFromInput(input)
  const { db, providers } = yield* UpstreamBindings
  const now = yield* Clock.currentTimeMillis
  const enabled = input.enabled ?? true
  yield* tryD1(upstreamServiceName, "identity_providers.upsert", () =>
    db.prepare(
      `INSERT INTO identity_providers (id, provider_type, name, config_json, enabled, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
       ON CONFLICT (id) DO UPDATE SET provider_type = excluded.provider_type, name = excluded.name,
         config_json = excluded.config_json, enabled = excluded.enabled, updated_at = excluded.updated_at,
         version = identity_providers.version + 1`
    ).bind(input.id, input.providerType, input.name, JSON.stringify(config), enabled ? 1 : 0, now).run())
  providers.invalidate()
  return summaryOf({ id: input.id, providerType: input.providerType, name: input.name, enabled, config })
})

/** Enabled providers, by name (rows that do not decode are left out and logged). */
export const listUpstreamProviders = Effect.gen(function*() {
  const { db, providers } = yield* UpstreamBindings
  const cached = providers.getList()
  if (cached !== undefined) return { providers: cached }
  const { results } = yield* tryD1(upstreamServiceName, "identity_providers.enabled", () =>
    db.prepare("SELECT * FROM identity_providers WHERE enabled = 1 ORDER BY name").all<IdentityProviderRow>())
  const undecodable: Array<string> = []
  const list = results.flatMap((row) => {
    const record = recordFromRow(row)
    if (record === null) undecodable.push(row.id)
    return record === null ? [] : [summaryOf(record)]
  })
  for (const id of undecodable) yield* logger("identity").warn("identity provider config_json does not decode; not listed", { providerId: id })
  providers.setList(list)
  return { providers: list }
})

/** An enabled provider with its config; `NotFound` for unknown, disabled or undecodable ones. */
export const loadEnabledProvider = Effect.fnUntraced(function*(id: string) {
  const { db, providers } = yield* UpstreamBindings
  const cached = providers.get(id)
  if (cached !== undefined) return cached
  const row = yield* tryD1(upstreamServiceName, "identity_providers.byId", () =>
    db.prepare("SELECT * FROM identity_providers WHERE id = ? AND enabled = 1").bind(id).first<IdentityProviderRow>())
  const record = row === null ? null : recordFromRow(row)
  if (record === null) return yield* new NotFound({ what: "identity provider" })
  providers.set(record)
  return record
})
