/**
 * `/roles` and `/users/{userId}/roles` (RBAC, issue 12 §3). Reads need
 * `roles:read`; writes — including giving a user a role, which is granting
 * privileges — need `roles:write`. Role updates and deletion need `If-Match`;
 * assignment is idempotent (PUT/DELETE of the pair) and unversioned.
 */
import { Role, RoleChanges, RoleFields } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { adminOperation } from "./admin_operation.ts"

const RoleList = Schema.Struct({ roles: Schema.Array(Role) })

export const roleOperations = [
  adminOperation({
    method: "GET", path: "/roles", operationId: "listRoles", summary: "List roles", tag: "roles",
    permission: "roles:read", ifMatch: false,
    success: { status: 200, description: "Every role, by name", schema: RoleList },
    handle: Effect.fnUntraced(function*() {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.rbac.listRoles({}) }
    })
  }),
  adminOperation({
    method: "POST", path: "/roles", operationId: "createRole", summary: "Create a role", tag: "roles",
    permission: "roles:write", ifMatch: false, body: RoleFields,
    success: { status: 201, description: "The role", schema: Role, etag: true },
    handle: Effect.fnUntraced(function*({ body, admin }) {
      const { adminBackends } = yield* Edge
      const role = yield* adminBackends.rbac.createRole({ role: body, actorId: admin.userId })
      return { status: 201, body: role, etag: role.version }
    })
  }),
  adminOperation({
    method: "GET", path: "/roles/{roleId}", operationId: "getRole", summary: "Read a role", tag: "roles",
    permission: "roles:read", ifMatch: false,
    success: { status: 200, description: "The role", schema: Role, etag: true },
    handle: Effect.fnUntraced(function*({ params }) {
      const { adminBackends } = yield* Edge
      const role = yield* adminBackends.rbac.getRole({ roleId: params["roleId"]! })
      return { status: 200, body: role, etag: role.version }
    })
  }),
  adminOperation({
    method: "PATCH", path: "/roles/{roleId}", operationId: "updateRole", summary: "Change a role (absent fields stay)", tag: "roles",
    permission: "roles:write", ifMatch: true, body: RoleChanges,
    success: { status: 200, description: "The role", schema: Role, etag: true },
    handle: Effect.fnUntraced(function*({ params, body, admin, ifMatch }) {
      const { adminBackends } = yield* Edge
      const role = yield* adminBackends.rbac.updateRole({ roleId: params["roleId"]!, expectedVersion: ifMatch!, changes: body, actorId: admin.userId })
      return { status: 200, body: role, etag: role.version }
    })
  }),
  adminOperation({
    method: "DELETE", path: "/roles/{roleId}", operationId: "deleteRole", summary: "Delete a role and every assignment of it", tag: "roles",
    permission: "roles:write", ifMatch: true,
    success: { status: 204, description: "Deleted" },
    handle: Effect.fnUntraced(function*({ params, admin, ifMatch }) {
      const { adminBackends } = yield* Edge
      yield* adminBackends.rbac.deleteRole({ roleId: params["roleId"]!, expectedVersion: ifMatch!, actorId: admin.userId })
      return { status: 204 }
    })
  }),
  adminOperation({
    method: "GET", path: "/users/{userId}/roles", operationId: "listUserRoles", summary: "The roles of a user", tag: "roles",
    permission: "roles:read", ifMatch: false,
    success: { status: 200, description: "The user's roles", schema: RoleList },
    handle: Effect.fnUntraced(function*({ params }) {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.rbac.listUserRoles({ userId: params["userId"]! }) }
    })
  }),
  adminOperation({
    method: "PUT", path: "/users/{userId}/roles/{roleId}", operationId: "assignRole", summary: "Give a user a role (idempotent)", tag: "roles",
    permission: "roles:write", ifMatch: false,
    success: { status: 200, description: "`assigned` is false when the user already held it", schema: Schema.Struct({ assigned: Schema.Boolean }) },
    handle: Effect.fnUntraced(function*({ params, admin }) {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.rbac.assignRole({ userId: params["userId"]!, roleId: params["roleId"]!, actorId: admin.userId }) }
    })
  }),
  adminOperation({
    method: "DELETE", path: "/users/{userId}/roles/{roleId}", operationId: "unassignRole", summary: "Take a role from a user (idempotent)", tag: "roles",
    permission: "roles:write", ifMatch: false,
    success: { status: 200, description: "`removed` is false when the user did not hold it", schema: Schema.Struct({ removed: Schema.Boolean }) },
    handle: Effect.fnUntraced(function*({ params, admin }) {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.rbac.unassignRole({ userId: params["userId"]!, roleId: params["roleId"]!, actorId: admin.userId }) }
    })
  })
]
