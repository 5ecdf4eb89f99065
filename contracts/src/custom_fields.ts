/**
 * Custom fields and scope mappings (issue 12 §1, §4), served by identity.
 *
 * A custom field DEFINITION (admin-defined: name, type, validation, labels in
 * English and Japanese, whether the user may edit it) governs the values held
 * in `user_custom_fields`: every write of a value is checked against it. A
 * SCOPE MAPPING releases a claim when a scope is granted, from a `users`
 * column (the allow-list {@link MAPPABLE_USER_COLUMNS}) or a custom field;
 * custom values are typed on release (number → JSON number, boolean → JSON
 * boolean, the rest strings).
 *
 * Refusals: `UserAdminInvalidInput` naming the field (HTTP 400), `NotFound`
 * (404), `VersionMismatch` (412), `AlreadyExists` (409).
 */
import { Schema } from "effect"
import { NotFound, Unavailable } from "./errors.ts"
import { AlreadyExists, VersionMismatch } from "./rbac.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"
import { UserAdminInvalidInput } from "./user_admin.ts"

/** The type of a custom field's values. `date` is `YYYY-MM-DD` (a real calendar date). */
export const CustomFieldType = Schema.Literals(["string", "number", "boolean", "date", "enum"])
/** Type of {@link CustomFieldType}. */
export type CustomFieldType = typeof CustomFieldType.Type

/** A custom field's name (the `user_custom_fields.field_name`): lower-case letters, digits and `_`, starting with a letter, ≤ 48. */
export const CustomFieldName = Schema.String.check(Schema.isPattern(/^[a-z][a-z0-9_]{0,47}$/u, {
  description: "1–48 characters: a–z, 0–9, _ (starting with a letter)"
}))

/**
 * How values are checked. Which members apply depends on the type (identity refuses the others):
 * string: `maxLength` (1–1024, default 256) and `pattern` (a regular expression the WHOLE value must match,
 * ≤ 200 characters, refused when it could backtrack catastrophically: nested quantifiers, backreferences);
 * number: `min`, `max`; enum: `enumValues` (1–50 distinct strings, each 1–100 characters).
 */
export const CustomFieldValidation = Schema.Struct({
  maxLength: Schema.optional(Schema.Number),
  pattern: Schema.optional(Schema.String),
  min: Schema.optional(Schema.Number),
  max: Schema.optional(Schema.Number),
  enumValues: Schema.optional(Schema.Array(Schema.String))
})
/** Type of {@link CustomFieldValidation}. */
export type CustomFieldValidation = typeof CustomFieldValidation.Type

/** The field's label on the account page and in the console, per language (1–100 characters each). */
export const CustomFieldLabels = Schema.Struct({ en: Schema.String, ja: Schema.String })
/** Type of {@link CustomFieldLabels}. */
export type CustomFieldLabels = typeof CustomFieldLabels.Type

/** A definition as stored. `version` starts at 1 and grows by one per update (the admin API's ETag). */
export const CustomFieldDefinition = Schema.Struct({
  name: Schema.String,
  type: CustomFieldType,
  validation: CustomFieldValidation,
  labels: CustomFieldLabels,
  /** True: the user may set and clear it on the account page. */
  userEditable: Schema.Boolean,
  /** True: a value, once set, cannot be cleared (existing users without one are not refused anything). */
  required: Schema.Boolean,
  version: Schema.Number,
  createdAt: Schema.Number,
  updatedAt: Schema.Number
}).annotate({ identifier: "CustomFieldDefinition" })
/** Type of {@link CustomFieldDefinition}. */
export type CustomFieldDefinition = typeof CustomFieldDefinition.Type

/** A new definition. The name and type are fixed once created (values were checked against them). */
export const NewCustomFieldDefinition = Schema.Struct({
  name: CustomFieldName,
  type: CustomFieldType,
  validation: Schema.optional(CustomFieldValidation),
  labels: CustomFieldLabels,
  userEditable: Schema.optional(Schema.Boolean),
  required: Schema.optional(Schema.Boolean)
}).annotate({ identifier: "NewCustomFieldDefinition" })
/** Type of {@link NewCustomFieldDefinition}. */
export type NewCustomFieldDefinition = typeof NewCustomFieldDefinition.Type

/** A partial change (absent members stay). A new validation applies to later writes; stored values are not re-checked. */
export const CustomFieldDefinitionChanges = Schema.Struct({
  validation: Schema.optional(CustomFieldValidation),
  labels: Schema.optional(CustomFieldLabels),
  userEditable: Schema.optional(Schema.Boolean),
  required: Schema.optional(Schema.Boolean)
}).annotate({ identifier: "CustomFieldDefinitionChanges" })
/** Type of {@link CustomFieldDefinitionChanges}. */
export type CustomFieldDefinitionChanges = typeof CustomFieldDefinitionChanges.Type

/** A custom value as written and released: a string (string, date, enum), a number, or a boolean. */
export const CustomFieldValue = Schema.Union([Schema.String, Schema.Number, Schema.Boolean])
/** Type of {@link CustomFieldValue}. */
export type CustomFieldValue = typeof CustomFieldValue.Type

/** A user's custom values, typed, by field name (fields without a value are absent). */
export const UserCustomFields = Schema.Struct({
  values: Schema.Record(Schema.String, CustomFieldValue)
}).annotate({ identifier: "UserCustomFields" })

/** A change of a user's values: a value sets, `null` clears; absent fields stay. */
export const UserCustomFieldsPatch = Schema.Struct({
  values: Schema.Record(Schema.String, Schema.NullOr(CustomFieldValue))
}).annotate({ identifier: "UserCustomFieldsPatch" })

/** Who writes a user's values: the user themself (only `userEditable` fields) or an admin (any defined field). */
export const CustomFieldEditor = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("self") }),
  Schema.Struct({ kind: Schema.Literal("admin"), adminUserId: Schema.String })
])

/** Where a mapped claim comes from. */
export const ScopeMappingSource = Schema.Literals(["users", "user_custom_fields", "user_roles"])

/**
 * `users` columns a mapping may release (and how: `email_verified` and
 * `phone_number_verified` booleans, `updated_at`/`created_at` seconds,
 * `address` the OIDC Core §5.1.1 object, the rest strings). Any other column
 * (password_hash!) is never a claim.
 */
export const MAPPABLE_USER_COLUMNS = [
  "id", "email", "email_verified", "name", "picture", "updated_at", "created_at",
  "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "website", "gender",
  "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address"
] as const

/**
 * Claims no mapping may name (put or delete): the ID token's and access token's own (their values are
 * Authrim's, not a user attribute), and `roles` (released from the user's RBAC roles only).
 */
export const PROTECTED_CLAIMS: ReadonlyArray<string> = [
  "sub", "iss", "aud", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "acr", "amr", "azp", "sid",
  "at_hash", "c_hash", "s_hash", "cnf", "scope", "client_id", "roles", "permissions", "_claim_names", "_claim_sources"
]

/** Scopes no mapping may name: `openid` (releases `sub` only) and `offline_access` (asks for a refresh token, not claims). */
export const PROTECTED_SCOPES: ReadonlyArray<string> = ["openid", "offline_access"]

/** A mapping as stored: granting `scope` releases `claimName` from `sourceTable`.`sourceColumn`. */
export const ScopeMapping = Schema.Struct({
  scope: Schema.String,
  claimName: Schema.String,
  sourceTable: ScopeMappingSource,
  /** A `users` column, a custom field's name, or `name` for `user_roles`. */
  sourceColumn: Schema.String
}).annotate({ identifier: "ScopeMapping" })
/** Type of {@link ScopeMapping}. */
export type ScopeMapping = typeof ScopeMapping.Type

/** What an admin writes for one mapping (the scope and claim name are in the path). */
export const ScopeMappingSourceInput = Schema.Struct({
  /** `users` (a column of {@link MAPPABLE_USER_COLUMNS}) or `user_custom_fields` (a defined custom field). */
  sourceTable: Schema.Literals(["users", "user_custom_fields"]),
  sourceColumn: Schema.String
}).annotate({ identifier: "ScopeMappingSourceInput" })
/** Type of {@link ScopeMappingSourceInput}. */
export type ScopeMappingSourceInput = typeof ScopeMappingSourceInput.Type

const Failure = Schema.Union([UserAdminInvalidInput, NotFound, Unavailable, VersionMismatch, AlreadyExists])
const Actor = { actorId: Schema.String }

/** Method schemas of custom fields and scope mappings (on `IdentityService`). Every write is audited as `admin.action`. */
export const CustomFieldsContract = {
  /** Every definition, by name. */
  listCustomFieldDefinitions: rpcMethod(Schema.Struct({}), Schema.Struct({ definitions: Schema.Array(CustomFieldDefinition) }), Failure),
  /** One definition; `NotFound` for an unknown name. */
  getCustomFieldDefinition: rpcMethod(Schema.Struct({ name: Schema.String }), CustomFieldDefinition, Failure),
  /** Creates a definition (version 1); `AlreadyExists` when the name is taken. Audited (custom_field.created). */
  createCustomFieldDefinition: rpcMethod(Schema.Struct({ definition: NewCustomFieldDefinition, ...Actor }), CustomFieldDefinition, Failure),
  /** Changes a definition at `expectedVersion`. Audited (custom_field.updated). */
  updateCustomFieldDefinition: rpcMethod(
    Schema.Struct({ name: Schema.String, expectedVersion: Schema.Number, changes: CustomFieldDefinitionChanges, ...Actor }),
    CustomFieldDefinition,
    Failure
  ),
  /** Deletes a definition at `expectedVersion` with every value of it and every mapping releasing it (one batch). Audited. */
  deleteCustomFieldDefinition: rpcMethod(
    Schema.Struct({ name: Schema.String, expectedVersion: Schema.Number, ...Actor }),
    Schema.Struct({ valuesRemoved: Schema.Number, mappingsRemoved: Schema.Number }),
    Failure
  ),
  /** Every scope mapping, by scope then claim. */
  listScopeMappings: rpcMethod(Schema.Struct({}), Schema.Struct({ mappings: Schema.Array(ScopeMapping) }), Failure),
  /** Creates or replaces the mapping of (`scope`, `claimName`). In force on this isolate's next claims read. Audited (scope_mapping.put). */
  putScopeMapping: rpcMethod(
    Schema.Struct({ scope: Schema.String, claimName: Schema.String, source: ScopeMappingSourceInput, ...Actor }),
    Schema.Struct({ mapping: ScopeMapping, created: Schema.Boolean }),
    Failure
  ),
  /** Deletes the mapping of (`scope`, `claimName`); `NotFound` when none. Audited (scope_mapping.deleted). */
  deleteScopeMapping: rpcMethod(Schema.Struct({ scope: Schema.String, claimName: Schema.String, ...Actor }), Schema.Struct({}), Failure),
  /** The user's custom values, typed; `NotFound` for an unknown user. */
  getUserCustomFields: rpcMethod(Schema.Struct({ userId: Schema.String }), UserCustomFields, Failure),
  /**
   * Sets / clears values, each checked against its definition; all or nothing (one batch). The user
   * (`editor.kind` self) may write only `userEditable` fields. Audited (`custom_fields.updated`, names only).
   */
  updateUserCustomFields: rpcMethod(
    Schema.Struct({ userId: Schema.String, values: UserCustomFieldsPatch.fields.values, editor: CustomFieldEditor }),
    UserCustomFields,
    Failure
  )
} as const
export const CustomFieldsContractVersion = contractVersion(CustomFieldsContract, { name: "custom_fields", version: 1 })

/** RPC interface of {@link CustomFieldsContract}. */
export type CustomFieldsRpc = RpcInterface<typeof CustomFieldsContract>
