/**
 * RBAC contract (issue 12 §3), served by the identity service: roles with
 * permissions, the roles of a user, and a user's effective permissions (what
 * the admin API authorises with, read on every admin request so that taking a
 * role away takes effect at once).
 *
 * Permission vocabulary: `admin:read` implies every `*:read`, `admin:write`
 * every write; the rest name one resource. Every permission here is an admin
 * permission: holding any of them is what lets /authorize grant scope `admin`.
 * Writes carry the acting admin (`actorId`) for the audit trail and, for a
 * record that exists, the version the admin read (`expectedVersion`):
 * a stale version is `VersionMismatch` and nothing is written.
 */
import { Schema } from "effect"
import { NotFound, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** The permissions the admin API knows. */
export const Permission = Schema.Literals([
  "admin:read", "admin:write",
  "clients:read", "clients:write",
  "users:read", "users:write",
  "roles:read", "roles:write",
  "keys:read", "keys:write",
  "audit:read",
  "settings:read", "settings:write",
  // Custom field definitions, user custom values (read / write through the admin API) and scope mappings.
  "schema:read", "schema:write",
  // Upstream identity providers.
  "providers:read", "providers:write"
])
/** Type of {@link Permission}. */
export type Permission = typeof Permission.Type

/** Every permission, in vocabulary order. */
export const PERMISSIONS: ReadonlyArray<Permission> = Permission.literals

/** The scope an access token needs for the admin API (and that /authorize grants only to holders of a permission). */
export const ADMIN_SCOPE = "admin"

/**
 * True when `held` grants `required`: directly, or through `admin:read`
 * (any `…:read`) or `admin:write` (any write). Strings outside the vocabulary grant nothing.
 */
export const permissionGranted = (held: ReadonlyArray<string>, required: Permission): boolean =>
  held.includes(required) || held.includes(required.endsWith(":read") ? "admin:read" : "admin:write")

/** True when `held` contains at least one permission of the vocabulary (an admin). */
export const holdsAdminPermission = (held: ReadonlyArray<string>): boolean =>
  held.some((p) => (PERMISSIONS as ReadonlyArray<string>).includes(p))

/** A role's name: 1–64 characters, letters, digits and `_ . : -`, starting with a letter or digit; unique. */
export const RoleName = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/u, {
  description: "1–64 characters: letters, digits, _ . : - (starting with a letter or digit)"
}))

/** A role's description (at most 500 characters). */
export const RoleDescription = Schema.String.check(Schema.isMaxLength(500))

/** A role's permissions: distinct, from the vocabulary. */
export const RolePermissions = Schema.Array(Permission).check(Schema.isUnique())

/** A role as stored. `version` starts at 1 and grows by one per update (the admin API's ETag). */
export const Role = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  permissions: Schema.Array(Permission),
  version: Schema.Number,
  createdAt: Schema.Number,
  updatedAt: Schema.Number
})
/** Type of {@link Role}. */
export type Role = typeof Role.Type

/** The stored record changed since the caller read `expectedVersion` (or was given no version): nothing was written. */
export class VersionMismatch extends Schema.TaggedError<VersionMismatch>()("VersionMismatch", {
  what: Schema.String,
  currentVersion: Schema.Number
}) {}

/** A record with this unique key (a role name, a client id) already exists. */
export class AlreadyExists extends Schema.TaggedError<AlreadyExists>()("AlreadyExists", {
  what: Schema.String,
  field: Schema.String
}) {}

const RbacFailure = Schema.Union([NotFound, Unavailable, VersionMismatch, AlreadyExists])

/** Fields an admin sets on a role. */
export const RoleFields = Schema.Struct({
  name: RoleName,
  description: Schema.optional(Schema.NullOr(RoleDescription)),
  permissions: RolePermissions
})
/** Type of {@link RoleFields}. */
export type RoleFields = typeof RoleFields.Type

/** A partial change of a role (absent fields stay as they are). */
export const RoleChanges = Schema.Struct({
  name: Schema.optional(RoleName),
  description: Schema.optional(Schema.NullOr(RoleDescription)),
  permissions: Schema.optional(RolePermissions)
})
/** Type of {@link RoleChanges}. */
export type RoleChanges = typeof RoleChanges.Type

/** Method schemas of the RBAC contract (identity service). */
export const RbacContract = {
  /** Every role, by name (a deployment has a handful). */
  listRoles: rpcMethod(Schema.Struct({}), Schema.Struct({ roles: Schema.Array(Role) }), RbacFailure),
  /** One role; `NotFound` for an unknown id. */
  getRole: rpcMethod(Schema.Struct({ roleId: Schema.String }), Role, RbacFailure),
  /** Creates a role (version 1); `AlreadyExists` when the name is taken. Audited as `admin.action` (role.created). */
  createRole: rpcMethod(Schema.Struct({ role: RoleFields, actorId: Schema.String }), Role, RbacFailure),
  /** Changes a role if it is still at `expectedVersion` (`VersionMismatch` otherwise). Audited (role.updated). */
  updateRole: rpcMethod(
    Schema.Struct({ roleId: Schema.String, expectedVersion: Schema.Number, changes: RoleChanges, actorId: Schema.String }),
    Role,
    RbacFailure
  ),
  /** Deletes a role at `expectedVersion` and every assignment of it. Audited (role.deleted). */
  deleteRole: rpcMethod(
    Schema.Struct({ roleId: Schema.String, expectedVersion: Schema.Number, actorId: Schema.String }),
    Schema.Struct({}),
    RbacFailure
  ),
  /** Gives `userId` the role (idempotent; `assigned` false when already held). Audited (user_role.assigned) when it changed something. */
  assignRole: rpcMethod(
    Schema.Struct({ userId: Schema.String, roleId: Schema.String, actorId: Schema.String }),
    Schema.Struct({ assigned: Schema.Boolean }),
    RbacFailure
  ),
  /** Takes the role from `userId` (idempotent; `removed` false when not held). Audited (user_role.removed) when it changed something. */
  unassignRole: rpcMethod(
    Schema.Struct({ userId: Schema.String, roleId: Schema.String, actorId: Schema.String }),
    Schema.Struct({ removed: Schema.Boolean }),
    RbacFailure
  ),
  /** The roles of a user (`NotFound` for an unknown user). */
  listUserRoles: rpcMethod(Schema.Struct({ userId: Schema.String }), Schema.Struct({ roles: Schema.Array(Role) }), RbacFailure),
  /**
   * The union of the permissions of the user's roles, and the roles' names —
   * one D1 query, read fresh on every call (no cache: a removed role must take
   * effect on the next admin request). An unknown user holds nothing.
   */
  getUserPermissions: rpcMethod(
    Schema.Struct({ userId: Schema.String }),
    Schema.Struct({ permissions: Schema.Array(Schema.String), roles: Schema.Array(Schema.String) }),
    RbacFailure
  )
} as const
export const RbacContractVersion = contractVersion(RbacContract, { name: "rbac", version: 1 })

/** RPC interface of the RBAC contract. */
export type RbacRpc = RpcInterface<typeof RbacContract>
