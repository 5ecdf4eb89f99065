/**
 * `scope_mappings` administration: list, create-or-replace one (scope, claim)
 * and delete one. Refused: protected claims (sub, iss, aud, roles …) and
 * scopes (openid, offline_access); a `users` column outside the allow-list; a
 * custom field that is not defined (checked IN the insert, so a definition
 * deleted meanwhile cannot leave a dangling mapping); an OIDC standard claim
 * name released from a custom field (an RP trusts `email` or
 * `phone_number_verified` to be Authrim's, not a user-editable attribute).
 * After a write this isolate's mapping cache is dropped, so the next claims
 * read here releases the change (other isolates: within SCOPE_MAPPING_TTL_MS).
 */
import {
  MAPPABLE_USER_COLUMNS,
  NotFound,
  PROTECTED_CLAIMS,
  PROTECTED_SCOPES,
  tryD1,
  UserAdminInvalidInput,
  type ScopeMapping,
  type ScopeMappingSourceInput
} from "@authrim/contracts"
import { Effect } from "effect"
import { auditAdminAction } from "../identity_audit.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

/** OIDC Core §5.1 claim names: released only from `users` columns. */
const STANDARD_CLAIMS: ReadonlyArray<string> = MAPPABLE_USER_COLUMNS.filter((c) => c !== "id" && c !== "created_at")

const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/u
// Starting with a letter: never `__proto__` (claims are assembled in a plain object).
const claimToken = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/u

interface MappingRow {
  readonly scope: string
  readonly claim_name: string
  readonly source_table: string
  readonly source_column: string
}

const fromRow = (row: MappingRow): ScopeMapping => ({
  scope: row.scope,
  claimName: row.claim_name,
  sourceTable: row.source_table === "users" || row.source_table === "user_roles" ? row.source_table : "user_custom_fields",
  sourceColumn: row.source_column
})

/** Every mapping, by scope then claim. */
export const listScopeMappings = Effect.fnUntraced(function*() {
  const { db } = yield* IdentityBindings
  const { results } = yield* tryD1(serviceName, "scope_mappings.list", () =>
    db.prepare("SELECT scope, claim_name, source_table, source_column FROM scope_mappings ORDER BY scope, claim_name").all<MappingRow>())
  return { mappings: results.map(fromRow) }
})

const invalid = (field: string, reason: string) => new UserAdminInvalidInput({ field, reason })

/** Why (scope, claim) may not be written or deleted by an admin, or null. */
const keyProblem = (scope: string, claimName: string) => {
  if (!scopeToken.test(scope)) return invalid("scope", "must be an RFC 6749 scope token, 1–64 characters")
  if (PROTECTED_SCOPES.includes(scope)) return invalid("scope", `${scope} releases no mapped claims`)
  if (!claimToken.test(claimName)) return invalid("claimName", "must be 1–64 of letters, digits, _ . : - (starting with a letter)")
  if (PROTECTED_CLAIMS.includes(claimName)) return invalid("claimName", `${claimName} is set by Authrim and cannot be mapped`)
  return null
}

/** Creates or replaces the mapping of (scope, claimName). */
export const putScopeMapping = Effect.fnUntraced(function*(input: {
  readonly scope: string
  readonly claimName: string
  readonly source: ScopeMappingSourceInput
  readonly actorId: string
}) {
  const { db, scopeMappings } = yield* IdentityBindings
  const problem = keyProblem(input.scope, input.claimName)
  if (problem !== null) return yield* problem
  const { sourceTable, sourceColumn } = input.source
  if (sourceTable === "users" && !(MAPPABLE_USER_COLUMNS as ReadonlyArray<string>).includes(sourceColumn)) {
    return yield* invalid("sourceColumn", `must be one of: ${MAPPABLE_USER_COLUMNS.join(", ")}`)
  }
  if (sourceTable === "user_custom_fields" && STANDARD_CLAIMS.includes(input.claimName)) {
    return yield* invalid("claimName", `the standard claim ${input.claimName} is released from the user's account, not a custom field`)
  }
  const [before, write] = yield* tryD1(serviceName, "scope_mappings.put", () =>
    db.batch<unknown>([
      db.prepare("SELECT 1 FROM scope_mappings WHERE scope = ? AND claim_name = ?").bind(input.scope, input.claimName),
      db.prepare(
        `INSERT INTO scope_mappings (scope, claim_name, source_table, source_column) SELECT ?1, ?2, ?3, ?4
         WHERE ?3 = 'users' OR EXISTS (SELECT 1 FROM custom_field_definitions WHERE name = ?4)
         ON CONFLICT (scope, claim_name) DO UPDATE SET source_table = excluded.source_table, source_column = excluded.source_column`
      ).bind(input.scope, input.claimName, sourceTable, sourceColumn)
    ]))
  if (write!.meta.changes === 0) return yield* invalid("sourceColumn", `${sourceColumn} is not a defined custom field`)
  scopeMappings.forget()
  const created = before!.results.length === 0
  yield* auditAdminAction({
    actorId: input.actorId, action: "scope_mapping.put", subject: { kind: "scope_mapping", id: `${input.scope} ${input.claimName}` },
    details: { scope: input.scope, claim: input.claimName, source_table: sourceTable, source_column: sourceColumn, created }
  })
  return { mapping: { scope: input.scope, claimName: input.claimName, sourceTable, sourceColumn }, created }
})

/** Deletes the mapping of (scope, claimName); `NotFound` when there is none. */
export const deleteScopeMapping = Effect.fnUntraced(function*(input: { readonly scope: string; readonly claimName: string; readonly actorId: string }) {
  const { db, scopeMappings } = yield* IdentityBindings
  const problem = keyProblem(input.scope, input.claimName)
  if (problem !== null) return yield* problem
  const result = yield* tryD1(serviceName, "scope_mappings.delete", () =>
    db.prepare("DELETE FROM scope_mappings WHERE scope = ? AND claim_name = ?").bind(input.scope, input.claimName).run())
  if (result.meta.changes === 0) return yield* new NotFound({ what: "scope mapping" })
  scopeMappings.forget()
  yield* auditAdminAction({
    actorId: input.actorId, action: "scope_mapping.deleted", subject: { kind: "scope_mapping", id: `${input.scope} ${input.claimName}` },
    details: { scope: input.scope, claim: input.claimName }
  })
  return {}
})
