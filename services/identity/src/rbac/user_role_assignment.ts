/**
 * The roles of users (`user_roles`) and what they add up to: a user's
 * permissions, read fresh on every call (the admin API asks on every request,
 * so taking a role away takes effect on the next one — one indexed D1 query).
 */
import { NotFound, tryD1 } from "@authrim/contracts"
import { Effect } from "effect"
import { auditAdminAction } from "../identity_audit.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { roleFromRow, type RoleRow } from "./role_row.ts"

const rolesOf = Effect.fnUntraced(function*(userId: string) {
  const { db } = yield* IdentityBindings
  const { results } = yield* tryD1(serviceName, "user_roles.ofUser", () =>
    db.prepare("SELECT r.* FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = ? ORDER BY r.name").bind(userId).all<RoleRow>())
  return results.map(roleFromRow)
})

const requireUserAndRole = Effect.fnUntraced(function*(userId: string, roleId: string) {
  const { db } = yield* IdentityBindings
  const found = yield* tryD1(serviceName, "user_roles.targets", () =>
    db.prepare("SELECT (SELECT count(*) FROM users WHERE id = ?) AS users, (SELECT name FROM roles WHERE id = ?) AS role")
      .bind(userId, roleId).first<{ users: number; role: string | null }>())
  if (found === null || found.users === 0) return yield* new NotFound({ what: "user" })
  if (found.role === null) return yield* new NotFound({ what: "role" })
  return found.role
})

/** The roles of `userId`; `NotFound` for an unknown user. */
export const listUserRoles = Effect.fnUntraced(function*(input: { readonly userId: string }) {
  const { db } = yield* IdentityBindings
  const user = yield* tryD1(serviceName, "users.exists", () => db.prepare("SELECT id FROM users WHERE id = ?").bind(input.userId).first())
  if (user === null) return yield* new NotFound({ what: "user" })
  return { roles: yield* rolesOf(input.userId) }
})

/** The union of the permissions of the user's roles, and their names (nothing for an unknown user). */
export const getUserPermissions = Effect.fnUntraced(function*(input: { readonly userId: string }) {
  const roles = yield* rolesOf(input.userId)
  return { permissions: [...new Set(roles.flatMap((r) => r.permissions))], roles: roles.map((r) => r.name) }
})

/** The names of the user's roles (the `roles` claim). */
export const roleNamesOf = Effect.fnUntraced(function*(userId: string) {
  return (yield* rolesOf(userId)).map((r) => r.name)
})

/** Gives the role (idempotent). */
export const assignRole = Effect.fnUntraced(function*(input: { readonly userId: string; readonly roleId: string; readonly actorId: string }) {
  const { db } = yield* IdentityBindings
  const roleName = yield* requireUserAndRole(input.userId, input.roleId)
  const result = yield* tryD1(serviceName, "user_roles.insert", () =>
    db.prepare("INSERT INTO user_roles (user_id, role_id) VALUES (?, ?) ON CONFLICT DO NOTHING").bind(input.userId, input.roleId).run())
  const assigned = result.meta.changes > 0
  if (assigned) {
    yield* auditAdminAction({
      actorId: input.actorId, action: "user_role.assigned", userId: input.userId,
      subject: { kind: "user", id: input.userId }, details: { role_id: input.roleId, role: roleName }
    })
  }
  return { assigned }
})

/** Takes the role away (idempotent). */
export const unassignRole = Effect.fnUntraced(function*(input: { readonly userId: string; readonly roleId: string; readonly actorId: string }) {
  const { db } = yield* IdentityBindings
  const roleName = yield* requireUserAndRole(input.userId, input.roleId)
  const result = yield* tryD1(serviceName, "user_roles.delete", () =>
    db.prepare("DELETE FROM user_roles WHERE user_id = ? AND role_id = ?").bind(input.userId, input.roleId).run())
  const removed = result.meta.changes > 0
  if (removed) {
    yield* auditAdminAction({
      actorId: input.actorId, action: "user_role.removed", userId: input.userId,
      subject: { kind: "user", id: input.userId }, details: { role_id: input.roleId, role: roleName }
    })
  }
  return { removed }
})
