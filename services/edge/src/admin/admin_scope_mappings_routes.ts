/**
 * `/scope-mappings` (permission `schema:*`): which claim a granted scope
 * releases, from a `users` column (an allow-list) or a defined custom field.
 * A mapping is keyed by (scope, claim name) and written whole (PUT,
 * idempotent, unversioned). Protected claims (sub, iss, aud, roles …) and the
 * scopes openid / offline_access are refused with a 400 naming the field. A
 * change is released on identity's next claims read in the writing isolate.
 */
import { MAPPABLE_USER_COLUMNS, PROTECTED_CLAIMS, PROTECTED_SCOPES, ScopeMapping, ScopeMappingSourceInput } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { domainProblem } from "./admin_domain_problems.ts"
import { adminOperation } from "./admin_operation.ts"

const MappingList = Schema.Struct({ mappings: Schema.Array(ScopeMapping) })
const PutResult = Schema.Struct({ mapping: ScopeMapping, created: Schema.Boolean })
const MappingSources = Schema.Struct({
  /** `users` columns a mapping may name (sourceTable `users`). */
  userColumns: Schema.Array(Schema.String),
  /** Defined custom fields (sourceTable `user_custom_fields`). */
  customFields: Schema.Array(Schema.String),
  /** Claims and scopes no mapping may name. */
  protectedClaims: Schema.Array(Schema.String),
  protectedScopes: Schema.Array(Schema.String)
}).annotate({ identifier: "ScopeMappingSources" })
const keyOf = (params: Readonly<Record<string, string>>) => ({ scope: params["scope"]!, claimName: params["claimName"]! })

export const scopeMappingOperations = [
  adminOperation({
    method: "GET", path: "/scope-mappings", operationId: "listScopeMappings", summary: "List scope → claim mappings", tag: "scope-mappings",
    permission: "schema:read", ifMatch: false,
    success: { status: 200, description: "Every mapping, by scope then claim", schema: MappingList },
    handle: Effect.fnUntraced(function*() {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.customFields.listScopeMappings({}).pipe(Effect.mapError(domainProblem)) }
    })
  }),
  adminOperation({
    method: "GET", path: "/scope-mappings/sources", operationId: "listScopeMappingSources",
    summary: "What a mapping may release (users columns, defined custom fields) and which claims and scopes are protected", tag: "scope-mappings",
    permission: "schema:read", ifMatch: false,
    success: { status: 200, description: "The allowed sources and the protected names (for a console's pickers)", schema: MappingSources },
    handle: Effect.fnUntraced(function*() {
      const { adminBackends } = yield* Edge
      const { definitions } = yield* adminBackends.customFields.listCustomFieldDefinitions({}).pipe(Effect.mapError(domainProblem))
      return {
        status: 200,
        body: { userColumns: [...MAPPABLE_USER_COLUMNS], customFields: definitions.map((d) => d.name), protectedClaims: [...PROTECTED_CLAIMS], protectedScopes: [...PROTECTED_SCOPES] }
      }
    })
  }),
  adminOperation({
    method: "PUT", path: "/scope-mappings/{scope}/{claimName}", operationId: "putScopeMapping",
    summary: "Create or replace the mapping releasing a claim under a scope (`created` says which)", tag: "scope-mappings",
    permission: "schema:write", ifMatch: false, body: ScopeMappingSourceInput,
    success: { status: 200, description: "The mapping", schema: PutResult },
    handle: Effect.fnUntraced(function*({ params, body, admin }) {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.customFields.putScopeMapping({ ...keyOf(params), source: body, actorId: admin.userId }).pipe(Effect.mapError(domainProblem)) }
    })
  }),
  adminOperation({
    method: "DELETE", path: "/scope-mappings/{scope}/{claimName}", operationId: "deleteScopeMapping", summary: "Stop releasing a claim under a scope", tag: "scope-mappings",
    permission: "schema:write", ifMatch: false,
    success: { status: 204, description: "Deleted" },
    handle: Effect.fnUntraced(function*({ params, admin }) {
      const { adminBackends } = yield* Edge
      yield* adminBackends.customFields.deleteScopeMapping({ ...keyOf(params), actorId: admin.userId }).pipe(Effect.mapError(domainProblem))
      return { status: 204 }
    })
  })
]
