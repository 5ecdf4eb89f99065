/**
 * A user's custom values (`user_custom_fields`), read and written against the
 * definitions: every value is checked by its definition's type and validation
 * (custom_field_rules.ts); a name without a definition is refused; a user
 * editing their own values may touch only `userEditable` fields. A write is
 * one D1 batch (all values or none), each statement guarded by the user's
 * existence and the definition still existing (a definition deleted meanwhile
 * writes nothing for it). Audited: `profile.updated` (by the user) or
 * `admin.action` `custom_fields.updated` — field names only, never values.
 */
import { NotFound, tryD1, UserAdminInvalidInput, type CustomFieldDefinition, type CustomFieldValue } from "@authrim/contracts"
import { Effect } from "effect"
import { auditAdminAction, auditProfileChange } from "../identity_audit.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { definitionFromRow, type CustomFieldDefinitionRow } from "./custom_field_definitions.ts"
import { storedValueOf, typedValueOf } from "./custom_field_rules.ts"

/** Most values one write may carry (a form has a handful). */
const MAX_VALUES_PER_WRITE = 50

type Editor = { readonly kind: "self" } | { readonly kind: "admin"; readonly adminUserId: string }

/** The user's defined values, typed (rows of names without a definition — legacy — are left out). */
export const getUserCustomFields = Effect.fnUntraced(function*(input: { readonly userId: string }) {
  const { db } = yield* IdentityBindings
  const [user, rows] = yield* tryD1(serviceName, "user_custom_fields.byUser", () =>
    db.batch<unknown>([
      db.prepare("SELECT id FROM users WHERE id = ?").bind(input.userId),
      db.prepare(
        `SELECT f.field_name, f.field_value, d.field_type FROM user_custom_fields f
         JOIN custom_field_definitions d ON d.name = f.field_name
         WHERE f.user_id = ? AND f.field_value IS NOT NULL ORDER BY f.field_name`
      ).bind(input.userId)
    ]))
  if (user!.results.length === 0) return yield* new NotFound({ what: "user" })
  const values: Record<string, CustomFieldValue> = {}
  for (const row of rows!.results as Array<{ field_name: string; field_value: string; field_type: string }>) {
    values[row.field_name] = typedValueOf(row.field_type, row.field_value)
  }
  return { values }
})

const invalid = (field: string, reason: string) => new UserAdminInvalidInput({ field: `values.${field}`, reason })

/** Sets (a value) or clears (`null`) each named field; all or nothing. */
export const updateUserCustomFields = Effect.fnUntraced(function*(input: {
  readonly userId: string
  readonly values: Readonly<Record<string, CustomFieldValue | null>>
  readonly editor: Editor
}) {
  const { db } = yield* IdentityBindings
  const names = Object.keys(input.values)
  if (names.length > MAX_VALUES_PER_WRITE) return yield* new UserAdminInvalidInput({ field: "values", reason: `at most ${MAX_VALUES_PER_WRITE} fields per write` })
  const { results } = yield* tryD1(serviceName, "custom_field_definitions.all", () =>
    db.prepare("SELECT * FROM custom_field_definitions").all<CustomFieldDefinitionRow>())
  const definitions = new Map<string, CustomFieldDefinition>(results.map((row) => [row.name, definitionFromRow(row)]))
  const writes: Array<{ name: string; stored: string | null }> = []
  for (const name of names.sort()) {
    const definition = definitions.get(name)
    if (definition === undefined) return yield* invalid(name, "is not a defined custom field")
    if (input.editor.kind === "self" && !definition.userEditable) return yield* invalid(name, "cannot be changed by the user")
    const value = input.values[name]!
    if (value === null || value === "") {
      if (definition.required) return yield* invalid(name, "is required")
      writes.push({ name, stored: null })
      continue
    }
    const checked = storedValueOf(definition, value)
    if ("reason" in checked) return yield* invalid(name, checked.reason)
    writes.push({ name, stored: checked.stored })
  }
  const userExists = "EXISTS (SELECT 1 FROM users WHERE id = ?1)"
  const defined = "EXISTS (SELECT 1 FROM custom_field_definitions WHERE name = ?2)"
  const statements = [
    db.prepare("SELECT id FROM users WHERE id = ?").bind(input.userId),
    ...writes.map((w) => w.stored === null
      ? db.prepare("DELETE FROM user_custom_fields WHERE user_id = ?1 AND field_name = ?2").bind(input.userId, w.name)
      : db.prepare(
          `INSERT INTO user_custom_fields (user_id, field_name, field_value) SELECT ?1, ?2, ?3 WHERE ${userExists} AND ${defined}
           ON CONFLICT (user_id, field_name) DO UPDATE SET field_value = excluded.field_value`
        ).bind(input.userId, w.name, w.stored))
  ]
  const [user] = yield* tryD1(serviceName, "user_custom_fields.write", () => db.batch<unknown>(statements))
  if (user!.results.length === 0) return yield* new NotFound({ what: "user" })
  if (writes.length > 0) {
    const fields = writes.map((w) => w.name).join(",")
    if (input.editor.kind === "self") {
      yield* auditProfileChange({ editor: { kind: "user", id: input.userId }, userId: input.userId, fields })
    } else {
      yield* auditAdminAction({
        actorId: input.editor.adminUserId, action: "custom_fields.updated", userId: input.userId,
        subject: { kind: "user", id: input.userId }, details: { fields }
      })
    }
  }
  return yield* getUserCustomFields({ userId: input.userId })
})
