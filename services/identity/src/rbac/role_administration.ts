/**
 * Roles (issue 12 §3): list, read, create, versioned update and delete. A
 * write changes a row only at the version the admin read (`WHERE version = ?`
 * in the same statement), so of concurrent writers exactly one wins; a lost
 * write is classified afterwards (unknown id, stale version, name taken).
 * Every change is audited as `admin.action` with the acting admin.
 */
import { AlreadyExists, NotFound, tryD1, VersionMismatch, type RoleChanges, type RoleFields } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { auditAdminAction } from "../identity_audit.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { roleFromRow, type RoleRow } from "./role_row.ts"

const findRoleRow = Effect.fnUntraced(function*(roleId: string) {
  const { db } = yield* IdentityBindings
  return yield* tryD1(serviceName, "roles.byId", () => db.prepare("SELECT * FROM roles WHERE id = ?").bind(roleId).first<RoleRow>())
})

/** Every role, by name. */
export const listRoles = Effect.fnUntraced(function*() {
  const { db } = yield* IdentityBindings
  const { results } = yield* tryD1(serviceName, "roles.all", () => db.prepare("SELECT * FROM roles ORDER BY name").all<RoleRow>())
  return { roles: results.map(roleFromRow) }
})

/** One role; `NotFound` for an unknown id. */
export const getRole = Effect.fnUntraced(function*(input: { readonly roleId: string }) {
  const row = yield* findRoleRow(input.roleId)
  if (row === null) return yield* new NotFound({ what: "role" })
  return roleFromRow(row)
})

/** Creates a role at version 1; a taken name is `AlreadyExists` (the unique index decides, not a prior read). */
export const createRole = Effect.fnUntraced(function*(input: { readonly role: RoleFields; readonly actorId: string }) {
  const { db } = yield* IdentityBindings
  const now = yield* Clock.currentTimeMillis
  const id = crypto.randomUUID()
  const result = yield* tryD1(serviceName, "roles.insert", () =>
    db.prepare(
      `INSERT INTO roles (id, name, description, permissions_json, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING`
    ).bind(id, input.role.name, input.role.description ?? null, JSON.stringify(input.role.permissions), now, now).run())
  if (result.meta.changes === 0) return yield* new AlreadyExists({ what: "role", field: "name" })
  yield* auditAdminAction({
    actorId: input.actorId, action: "role.created", subject: { kind: "role", id },
    details: { name: input.role.name, permissions: input.role.permissions.join(" ") }
  })
  return yield* getRole({ roleId: id })
})

/** Why a conditional write changed nothing: the role is gone, or at another version. */
const lostWrite = Effect.fnUntraced(function*(roleId: string) {
  const row = yield* findRoleRow(roleId)
  if (row === null) return yield* new NotFound({ what: "role" })
  return yield* new VersionMismatch({ what: "role", currentVersion: row.version })
})

/** Applies `changes` at `expectedVersion`; a new name taken by another role is `AlreadyExists`. */
export const updateRole = Effect.fnUntraced(function*(input: {
  readonly roleId: string
  readonly expectedVersion: number
  readonly changes: RoleChanges
  readonly actorId: string
}) {
  const { db } = yield* IdentityBindings
  const now = yield* Clock.currentTimeMillis
  const { name, description, permissions } = input.changes
  const result = yield* tryD1(serviceName, "roles.update", () =>
    db.prepare(
      `UPDATE roles SET name = coalesce(?1, name),
         description = CASE WHEN ?2 = 1 THEN ?3 ELSE description END,
         permissions_json = coalesce(?4, permissions_json),
         version = version + 1, updated_at = ?5
       WHERE id = ?6 AND version = ?7
         AND NOT EXISTS (SELECT 1 FROM roles other WHERE other.name = ?1 AND other.id <> ?6)`
    ).bind(
      name ?? null, description === undefined ? 0 : 1, description ?? null,
      permissions === undefined ? null : JSON.stringify(permissions), now, input.roleId, input.expectedVersion
    ).run())
  if (result.meta.changes === 0) {
    if (name !== undefined) {
      const holder = yield* tryD1(serviceName, "roles.byName", () =>
        db.prepare("SELECT id FROM roles WHERE name = ? AND id <> ?").bind(name, input.roleId).first<{ id: string }>())
      if (holder !== null) return yield* new AlreadyExists({ what: "role", field: "name" })
    }
    return yield* lostWrite(input.roleId)
  }
  const role = yield* getRole({ roleId: input.roleId })
  yield* auditAdminAction({
    actorId: input.actorId, action: "role.updated", subject: { kind: "role", id: role.id },
    details: { name: role.name, permissions: role.permissions.join(" "), version: role.version }
  })
  return role
})

/** Deletes a role at `expectedVersion`; its assignments go with it (user_roles cascades, and are deleted in the same batch). */
export const deleteRole = Effect.fnUntraced(function*(input: { readonly roleId: string; readonly expectedVersion: number; readonly actorId: string }) {
  const { db } = yield* IdentityBindings
  const before = yield* findRoleRow(input.roleId)
  if (before === null) return yield* new NotFound({ what: "role" })
  // One batch is one transaction: the assignments go only if the role does.
  const [assignments, role] = yield* tryD1(serviceName, "roles.delete", () =>
    db.batch([
      db.prepare("DELETE FROM user_roles WHERE role_id = ?1 AND EXISTS (SELECT 1 FROM roles WHERE id = ?1 AND version = ?2)")
        .bind(input.roleId, input.expectedVersion),
      db.prepare("DELETE FROM roles WHERE id = ? AND version = ?").bind(input.roleId, input.expectedVersion)
    ]))
  if (role!.meta.changes === 0) return yield* lostWrite(input.roleId)
  yield* auditAdminAction({
    actorId: input.actorId, action: "role.deleted", subject: { kind: "role", id: input.roleId },
    details: { name: before.name, assignments_removed: assignments!.meta.changes }
  })
  return {}
})
