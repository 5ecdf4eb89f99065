/**
 * OIDC claims for granted scopes, driven by `scope_mappings` (OIDC Core §5.4):
 * each mapping names a `users` column or a `user_custom_fields` field. Claims
 * without a value are omitted; unknown scopes contribute nothing; `sub` is
 * always present.
 */
import { NotFound, tryD1 } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import type { ScopeMapping } from "./scope_mapping_cache.ts"
import { findUserRow } from "./users.ts"
import { addressOfRow, type UserRow } from "./user_row.ts"
import { roleNamesOf } from "../rbac/user_role_assignment.ts"
import { typedValueOf } from "../custom_fields/custom_field_rules.ts"

/** `users` columns a mapping may expose, with their OIDC representation. Anything else (password_hash!) is never a claim. */
const userColumnClaims: Record<string, (row: UserRow) => unknown> = {
  id: (row) => row.id,
  email: (row) => row.email,
  name: (row) => row.name,
  picture: (row) => row.picture,
  // OIDC Core §5.1: a JSON boolean, and updated_at in seconds since the epoch.
  email_verified: (row) => row.email_verified === 1,
  updated_at: (row) => Math.floor(row.updated_at / 1000),
  created_at: (row) => Math.floor(row.created_at / 1000),
  // The rest of OIDC Core §5.1 (migration 0015), as stored: strings, validated on write (profile_claim_formats.ts).
  given_name: (row) => row.given_name,
  family_name: (row) => row.family_name,
  middle_name: (row) => row.middle_name,
  nickname: (row) => row.nickname,
  preferred_username: (row) => row.preferred_username,
  profile: (row) => row.profile,
  website: (row) => row.website,
  gender: (row) => row.gender,
  birthdate: (row) => row.birthdate,
  zoneinfo: (row) => row.zoneinfo,
  locale: (row) => row.locale,
  phone_number: (row) => row.phone_number,
  // Released only beside a phone number (a bare "false" says nothing).
  phone_number_verified: (row) => (row.phone_number === undefined || row.phone_number === null ? undefined : row.phone_number_verified === 1),
  address: (row) => addressOfRow(row)
}

/**
 * A defined custom field (migration 0017) is released typed by its definition (number and boolean as JSON
 * types). Undefined legacy fields keep the old reading: `*_verified` booleans, `address` a JSON object per
 * OIDC Core §5.1.1, the rest text.
 */
const customFieldClaim = (field: string, value: string, type: string | null | undefined): unknown => {
  if (type !== null && type !== undefined) return typedValueOf(type, value)
  if (field.endsWith("_verified")) return value === "true" || value === "1"
  if (field === "address") {
    try {
      const parsed: unknown = JSON.parse(value)
      if (typeof parsed === "object" && parsed !== null) return parsed
    } catch {
      // not JSON: a plain postal address string
    }
    return { formatted: value }
  }
  return value
}

const claimValue = (mapping: ScopeMapping, user: UserRow, customFields: ReadonlyMap<string, string>): unknown => {
  if (mapping.source_table === "users") return userColumnClaims[mapping.source_column]?.(user)
  if (mapping.source_table !== "user_custom_fields") return undefined
  const raw = customFields.get(mapping.source_column)
  return raw === undefined ? undefined : customFieldClaim(mapping.source_column, raw, mapping.field_type)
}

const loadMappings = Effect.gen(function*() {
  const { db, scopeMappings } = yield* IdentityBindings
  const cached = scopeMappings.get()
  if (cached !== null) return cached
  const result = yield* tryD1(serviceName, "scope_mappings.all", () =>
    // The definitions' types come in the same query (and the same cache): typing a release costs nothing more.
    db.prepare(
      `SELECT m.scope, m.claim_name, m.source_table, m.source_column, d.field_type FROM scope_mappings m
       LEFT JOIN custom_field_definitions d ON m.source_table = 'user_custom_fields' AND d.name = m.source_column`
    ).all<ScopeMapping>())
  scopeMappings.set(result.results)
  return result.results
})

/**
 * The user row and its custom fields in ONE D1 query (every /userinfo with a
 * custom-field scope would otherwise be two: D1 is one database serving every
 * region, so queries per request are its capacity, docs/scale.md).
 */
const findUserWithCustomFields = Effect.fnUntraced(function*(userId: string) {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "users.byIdWithCustomFields", () =>
    db.prepare(
      `SELECT u.*, (SELECT json_group_object(f.field_name, f.field_value) FROM user_custom_fields f
         WHERE f.user_id = u.id AND f.field_value IS NOT NULL) AS custom_fields_json
       FROM users u WHERE u.id = ?`
    ).bind(userId).first<UserRow & { custom_fields_json: string | null }>())
  if (row === null) return yield* new NotFound({ what: "user" })
  const { custom_fields_json: json, ...user } = row
  const fields = JSON.parse(json ?? "{}") as Record<string, unknown>
  const customFields = new Map(Object.entries(fields).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as const] : [])))
  return { user: user as UserRow, customFields }
})

/** Claims of `userId` for `scopes`. `NotFound` when the user does not exist. */
export const getUserClaims = Effect.fnUntraced(function*(input: { readonly userId: string; readonly scopes: ReadonlyArray<string> }) {
  const granted = new Set(input.scopes)
  const mappings = (yield* loadMappings).filter((m) => granted.has(m.scope))
  const { user, customFields } = mappings.some((m) => m.source_table === "user_custom_fields")
    ? yield* findUserWithCustomFields(input.userId)
    : { user: yield* findUserRow(input.userId), customFields: new Map<string, string>() }

  const claims: Record<string, unknown> = {}
  for (const mapping of mappings) {
    const value = claimValue(mapping, user, customFields)
    if (value !== undefined && value !== null) claims[mapping.claim_name] = value
  }
  // Source 'user_roles' (migration 0012, scope `roles`): the names of the user's roles, one more query only when granted.
  const roleClaims = mappings.filter((m) => m.source_table === "user_roles")
  if (roleClaims.length > 0) {
    const names = yield* roleNamesOf(user.id)
    if (names.length > 0) for (const mapping of roleClaims) claims[mapping.claim_name] = names
  }
  claims.sub = user.id
  return claims
})
