/**
 * `custom_field_definitions` (migration 0017): list, read, create, versioned
 * update, delete. Writes are single conditional statements (`WHERE version = ?`)
 * so of concurrent writers at one version exactly one wins; a lost write is
 * classified afterwards. Deletion removes the values and the scope mappings
 * releasing the field in the same batch (one transaction). Audited as
 * `admin.action` (custom_field.created / updated / deleted).
 */
import {
  AlreadyExists,
  MAPPABLE_USER_COLUMNS,
  NotFound,
  tryD1,
  UserAdminInvalidInput,
  VersionMismatch,
  type CustomFieldDefinition,
  type CustomFieldDefinitionChanges,
  type CustomFieldType,
  type NewCustomFieldDefinition
} from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { auditAdminAction } from "../identity_audit.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { labelsProblem, validationProblem, type RuleProblem } from "./custom_field_rules.ts"

/** The D1 row. */
export interface CustomFieldDefinitionRow {
  readonly name: string
  readonly field_type: string
  readonly validation_json: string
  readonly label_en: string
  readonly label_ja: string
  readonly user_editable: number
  readonly required: number
  readonly version: number
  readonly created_at: number
  readonly updated_at: number
}

const parseValidation = (json: string): CustomFieldDefinition["validation"] => {
  try {
    const parsed: unknown = JSON.parse(json)
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed as CustomFieldDefinition["validation"] : {}
  } catch {
    return {}
  }
}

/** A row → definition (an unknown stored type, only possible by hand, reads as `string`). */
export const definitionFromRow = (row: CustomFieldDefinitionRow): CustomFieldDefinition => ({
  name: row.name,
  type: (["string", "number", "boolean", "date", "enum"] as ReadonlyArray<string>).includes(row.field_type) ? row.field_type as CustomFieldType : "string",
  validation: parseValidation(row.validation_json),
  labels: { en: row.label_en, ja: row.label_ja },
  userEditable: row.user_editable === 1,
  required: row.required === 1,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at
})

const refuse = (problem: RuleProblem) => new UserAdminInvalidInput({ field: problem.field, reason: problem.reason })

/** Every definition, by name. */
export const listCustomFieldDefinitions = Effect.fnUntraced(function*() {
  const { db } = yield* IdentityBindings
  const { results } = yield* tryD1(serviceName, "custom_field_definitions.all", () =>
    db.prepare("SELECT * FROM custom_field_definitions ORDER BY name").all<CustomFieldDefinitionRow>())
  return { definitions: results.map(definitionFromRow) }
})

const findRow = Effect.fnUntraced(function*(name: string) {
  const { db } = yield* IdentityBindings
  return yield* tryD1(serviceName, "custom_field_definitions.byName", () =>
    db.prepare("SELECT * FROM custom_field_definitions WHERE name = ?").bind(name).first<CustomFieldDefinitionRow>())
})

/** One definition; `NotFound` for an unknown name. */
export const getCustomFieldDefinition = Effect.fnUntraced(function*(input: { readonly name: string }) {
  const row = yield* findRow(input.name)
  if (row === null) return yield* new NotFound({ what: "custom field" })
  return definitionFromRow(row)
})

/** Creates a definition at version 1; a taken name is `AlreadyExists` (the primary key decides). */
export const createCustomFieldDefinition = Effect.fnUntraced(function*(input: { readonly definition: NewCustomFieldDefinition; readonly actorId: string }) {
  const { db } = yield* IdentityBindings
  const d = input.definition
  const validation = d.validation ?? {}
  // A standard claim's name would read as that claim (and find the values migration 0015 left behind under it).
  if ((MAPPABLE_USER_COLUMNS as ReadonlyArray<string>).includes(d.name)) return yield* refuse({ field: "name", reason: "is a standard claim kept on the account" })
  const problem = labelsProblem(d.labels) ?? validationProblem(d.type, validation)
  if (problem !== null) return yield* refuse(problem)
  if (d.type === "enum" && validation.enumValues === undefined) return yield* refuse({ field: "validation.enumValues", reason: "an enum field needs its values" })
  const now = yield* Clock.currentTimeMillis
  const result = yield* tryD1(serviceName, "custom_field_definitions.insert", () =>
    db.prepare(
      `INSERT INTO custom_field_definitions (name, field_type, validation_json, label_en, label_ja, user_editable, required, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING`
    ).bind(d.name, d.type, JSON.stringify(validation), d.labels.en, d.labels.ja, d.userEditable === true ? 1 : 0, d.required === true ? 1 : 0, now, now).run())
  if (result.meta.changes === 0) return yield* new AlreadyExists({ what: "custom field", field: "name" })
  yield* auditAdminAction({
    actorId: input.actorId, action: "custom_field.created", subject: { kind: "custom_field", id: d.name },
    details: { type: d.type, user_editable: d.userEditable === true }
  })
  return yield* getCustomFieldDefinition({ name: d.name })
})

const lostWrite = Effect.fnUntraced(function*(name: string) {
  const row = yield* findRow(name)
  if (row === null) return yield* new NotFound({ what: "custom field" })
  return yield* new VersionMismatch({ what: "custom field", currentVersion: row.version })
})

/** Applies `changes` at `expectedVersion` (the type is fixed, so the new validation is checked against it). */
export const updateCustomFieldDefinition = Effect.fnUntraced(function*(input: {
  readonly name: string
  readonly expectedVersion: number
  readonly changes: CustomFieldDefinitionChanges
  readonly actorId: string
}) {
  const { db } = yield* IdentityBindings
  const current = yield* getCustomFieldDefinition({ name: input.name })
  const { validation, labels, userEditable, required } = input.changes
  const problem = (labels === undefined ? null : labelsProblem(labels)) ?? (validation === undefined ? null : validationProblem(current.type, validation))
  if (problem !== null) return yield* refuse(problem)
  if (current.type === "enum" && validation !== undefined && validation.enumValues === undefined) {
    return yield* refuse({ field: "validation.enumValues", reason: "an enum field needs its values" })
  }
  const now = yield* Clock.currentTimeMillis
  const result = yield* tryD1(serviceName, "custom_field_definitions.update", () =>
    db.prepare(
      `UPDATE custom_field_definitions SET validation_json = coalesce(?1, validation_json),
         label_en = coalesce(?2, label_en), label_ja = coalesce(?3, label_ja),
         user_editable = coalesce(?4, user_editable), required = coalesce(?5, required),
         version = version + 1, updated_at = ?6
       WHERE name = ?7 AND version = ?8`
    ).bind(
      validation === undefined ? null : JSON.stringify(validation), labels?.en ?? null, labels?.ja ?? null,
      userEditable === undefined ? null : userEditable ? 1 : 0, required === undefined ? null : required ? 1 : 0,
      now, input.name, input.expectedVersion
    ).run())
  if (result.meta.changes === 0) return yield* lostWrite(input.name)
  const definition = yield* getCustomFieldDefinition({ name: input.name })
  yield* auditAdminAction({
    actorId: input.actorId, action: "custom_field.updated", subject: { kind: "custom_field", id: input.name },
    details: { version: definition.version, fields: Object.keys(input.changes).filter((k) => input.changes[k as keyof CustomFieldDefinitionChanges] !== undefined).join(",") }
  })
  return definition
})

/** Deletes a definition at `expectedVersion`, its values and the mappings releasing it — one batch, all or nothing. */
export const deleteCustomFieldDefinition = Effect.fnUntraced(function*(input: { readonly name: string; readonly expectedVersion: number; readonly actorId: string }) {
  const { db, scopeMappings } = yield* IdentityBindings
  const guard = "EXISTS (SELECT 1 FROM custom_field_definitions WHERE name = ?1 AND version = ?2)"
  const [values, mappings, definition] = yield* tryD1(serviceName, "custom_field_definitions.delete", () =>
    db.batch([
      db.prepare(`DELETE FROM user_custom_fields WHERE field_name = ?1 AND ${guard}`).bind(input.name, input.expectedVersion),
      db.prepare(`DELETE FROM scope_mappings WHERE source_table = 'user_custom_fields' AND source_column = ?1 AND ${guard}`)
        .bind(input.name, input.expectedVersion),
      db.prepare("DELETE FROM custom_field_definitions WHERE name = ? AND version = ?").bind(input.name, input.expectedVersion)
    ]))
  if (definition!.meta.changes === 0) return yield* lostWrite(input.name)
  scopeMappings.forget()
  const removed = { valuesRemoved: values!.meta.changes, mappingsRemoved: mappings!.meta.changes }
  yield* auditAdminAction({
    actorId: input.actorId, action: "custom_field.deleted", subject: { kind: "custom_field", id: input.name },
    details: { values_removed: removed.valuesRemoved, mappings_removed: removed.mappingsRemoved }
  })
  return removed
})
