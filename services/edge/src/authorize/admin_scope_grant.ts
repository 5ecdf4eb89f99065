/**
 * Scope `admin` (the admin API's, contracts/src/rbac.ts) is granted only to a
 * user who holds at least one admin permission through their roles; for
 * anyone else it is dropped from the grant (RFC 6749 §3.3: the server may
 * issue fewer scopes than requested; the token response's `scope` says so).
 * Permission-named scopes (`clients:read`, …) are kept only when the user
 * holds that permission. A request without them costs nothing: no call is made.
 */
import { ADMIN_SCOPE, holdsAdminPermission, Permission, permissionGranted, type EdgeFailure } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"

const isPermission = Schema.is(Permission)

/** `scopes` with what `userId` may not have removed. */
export const grantableScopes = Effect.fnUntraced(function*(userId: string, scopes: ReadonlyArray<string>): Effect.fn.Return<ReadonlyArray<string>, EdgeFailure, Edge> {
  if (!scopes.some((s) => s === ADMIN_SCOPE || isPermission(s))) return scopes
  const { backends } = yield* Edge
  const held = yield* backends.rbac.getUserPermissions({ userId }).pipe(
    Effect.catchTag(["VersionMismatch", "AlreadyExists"], () => Effect.succeed({ permissions: [] as ReadonlyArray<string>, roles: [] }))
  )
  const admin = holdsAdminPermission(held.permissions)
  return scopes.filter((s) => s === ADMIN_SCOPE ? admin : isPermission(s) ? admin && permissionGranted(held.permissions, s) : true)
})
