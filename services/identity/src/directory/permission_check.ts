/**
 * getRoles and hasPermission of `IdentityDirectory` (issue 13 §1), on the
 * RBAC tables (rbac/user_role_assignment.ts): read fresh on every call, so a
 * role taken away counts at once. hasPermission fails closed — an unknown or
 * disabled user, or a permission outside the vocabulary, is not granted.
 */
import { Permission, permissionGranted, type NotFound, type Unavailable } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import type { IdentityBindings } from "../identity_bindings.ts"
import { getUserPermissions, listUserRoles } from "../rbac/user_role_assignment.ts"
import { isUserDisabled } from "../users/user_disabled.ts"

const isPermission = Schema.is(Permission)

/** The names of the user's roles (sorted by name); `NotFound` for an unknown user. */
export const getRoleNames = (input: { readonly userId: string }): Effect.Effect<{ roles: Array<string> }, NotFound | Unavailable, IdentityBindings> =>
  Effect.map(listUserRoles(input), ({ roles }) => ({ roles: roles.map((r) => r.name) }))

/** Whether the user's current roles grant `permission` (admin:read / admin:write imply every read / write). */
export const hasPermission = Effect.fnUntraced(function*(input: { readonly userId: string; readonly permission: string }): Effect.fn.Return<{ granted: boolean }, Unavailable, IdentityBindings> {
  const permission = input.permission
  if (!isPermission(permission)) return { granted: false }
  const [held, disabled] = yield* Effect.all([getUserPermissions({ userId: input.userId }), isUserDisabled(input.userId)], { concurrency: 2 })
  return { granted: !disabled && permissionGranted(held.permissions, permission) }
})
