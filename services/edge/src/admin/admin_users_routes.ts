/**
 * `/users` (issue 12 §1): search, create, read, update, profile claims,
 * disable / enable, delete, GDPR export and MFA reset. Reads need
 * `users:read`, writes `users:write`. Identity owns the user
 * (contracts/src/user_admin.ts) and audits every write with the admin as
 * actor; disable and delete also end the user's sessions and refresh
 * families (user_admin_operations.ts says in which order, and why).
 *
 * Versions: `PATCH /users/{id}` and `DELETE /users/{id}` need `If-Match`
 * (the user's `version`). The update is compare-and-set in identity (of
 * concurrent writers exactly one wins); the delete compares against a fresh
 * read first (the read and the delete are two calls: a change landing between
 * them is not detected — a deletion is final and idempotent either way).
 * Disable / enable are idempotent state changes (`changed` says whether they
 * did anything) and the profile claims are not versioned, so those take none.
 */
import { AdminUser, AdminUserDetail, Session, UserExport, UserProfile, UserProfilePatch, type OAuthError } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { domainProblem } from "./admin_domain_problems.ts"
import { adminOperation } from "./admin_operation.ts"
import { invalidRequest, type AdminProblem } from "./admin_problem.ts"
import { deleteUser, disableUser, enableUser, exportUser, resetUserMfa } from "./user_admin_operations.ts"

const bounded = (max: number) => Schema.String.check(Schema.isMaxLength(max))

/** Search filters (all optional, combined with AND) and the page. */
const UserSearchQuery = Schema.Struct({
  id: Schema.optional(bounded(100)),
  /** Case-insensitive prefix of the email address. */
  email: Schema.optional(bounded(320)),
  /** Case-insensitive substring of the name. */
  name: Schema.optional(bounded(200)),
  cursor: Schema.optional(bounded(600)),
  limit: Schema.optional(Schema.String.check(Schema.isPattern(/^(?:[1-9]\d?|100)$/u, { description: "an integer from 1 to 100" })))
})

const UserPage = Schema.Struct({ users: Schema.Array(AdminUser), nextCursor: Schema.NullOr(Schema.String) })

const NewUser = Schema.Struct({
  email: bounded(320),
  name: Schema.optional(Schema.NullOr(bounded(200))),
  /** Checked against the password policy by identity; without one the user signs in by passkey, link or upstream IdP. */
  password: Schema.optional(Schema.NullOr(bounded(256))),
  emailVerified: Schema.optional(Schema.Boolean)
})

const UserChanges = Schema.Struct({
  name: Schema.optional(Schema.NullOr(bounded(200))),
  email: Schema.optional(bounded(320)),
  emailVerified: Schema.optional(Schema.Boolean)
})

const DisabledState = Schema.Struct({ user: AdminUser, changed: Schema.Boolean })
const UserExportDocument = Schema.Struct({ ...UserExport.fields, sessions: Schema.Array(Session) })

/** Identity refuses a claim as `invalid_request` "<field> <reason>" (profile_claim_formats.ts): a 400 naming that field. */
const profileProblem = (failure: OAuthError): OAuthError | AdminProblem => {
  const { code, description } = failure
  const field = /^([a-z_]+(?:\.[a-z_]+)?)\s/u.exec(description)?.[1]
  if (code !== "invalid_request" || field === undefined || !(field.split(".")[0]! in UserProfilePatch.fields)) return failure
  return invalidRequest(description, [{ field, message: description.slice(field.length + 1) }])
}

const userIdOf = (params: Readonly<Record<string, string>>) => params["userId"]!

export const userOperations = [
  adminOperation({
    method: "GET", path: "/users", operationId: "searchUsers", summary: "Search users (id exact, email prefix, name substring; cursor-paginated, ≤ 100 a page)", tag: "users",
    permission: "users:read", ifMatch: false, query: UserSearchQuery,
    success: { status: 200, description: "A page of users", schema: UserPage },
    handle: Effect.fnUntraced(function*({ query }) {
      const { adminBackends } = yield* Edge
      const page = yield* adminBackends.userAdmin.searchUsers({
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.email === undefined ? {} : { email: query.email }),
        ...(query.name === undefined ? {} : { name: query.name }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        limit: query.limit === undefined ? 20 : Number(query.limit)
      }).pipe(Effect.mapError(domainProblem))
      return { status: 200, body: page }
    })
  }),
  adminOperation({
    method: "POST", path: "/users", operationId: "createUser", summary: "Create a user", tag: "users",
    permission: "users:write", ifMatch: false, body: NewUser,
    success: { status: 201, description: "The user", schema: AdminUser, etag: true },
    handle: Effect.fnUntraced(function*({ body, admin }) {
      const { adminBackends } = yield* Edge
      const user = yield* adminBackends.userAdmin.createUser({ ...body, adminUserId: admin.userId }).pipe(Effect.mapError(domainProblem))
      return { status: 201, body: user, etag: user.version }
    })
  }),
  adminOperation({
    method: "GET", path: "/users/{userId}", operationId: "getUser", summary: "Read a user with a summary of their credentials and roles", tag: "users",
    permission: "users:read", ifMatch: false,
    success: { status: 200, description: "The user", schema: AdminUserDetail, etag: true },
    handle: Effect.fnUntraced(function*({ params }) {
      const { adminBackends } = yield* Edge
      const detail = yield* adminBackends.userAdmin.getUserDetail({ userId: userIdOf(params) })
      return { status: 200, body: detail, etag: detail.user.version }
    })
  }),
  adminOperation({
    method: "PATCH", path: "/users/{userId}", operationId: "updateUser", summary: "Change a user's name, email or emailVerified (absent fields stay)", tag: "users",
    permission: "users:write", ifMatch: true, body: UserChanges,
    success: { status: 200, description: "The user", schema: AdminUser, etag: true },
    handle: Effect.fnUntraced(function*({ params, body, admin, ifMatch }) {
      const { adminBackends } = yield* Edge
      const user = yield* adminBackends.userAdmin.updateUser({ ...body, userId: userIdOf(params), expectedVersion: ifMatch!, adminUserId: admin.userId })
        .pipe(Effect.mapError(domainProblem))
      return { status: 200, body: user, etag: user.version }
    })
  }),
  adminOperation({
    method: "DELETE", path: "/users/{userId}", operationId: "deleteUser", summary: "Delete a user and everything held about them (sessions and refresh tokens end first)", tag: "users",
    permission: "users:write", ifMatch: true,
    success: { status: 204, description: "Deleted" },
    handle: Effect.fnUntraced(function*({ params, admin, ifMatch, ctx }) {
      // Atomic If-Match (user_admin_operations.ts): 412 on another version, 404 once deleted by a concurrent winner.
      yield* deleteUser(ctx, { adminUserId: admin.userId, userId: userIdOf(params), expectedVersion: ifMatch! }).pipe(Effect.mapError(domainProblem))
      return { status: 204 }
    })
  }),
  adminOperation({
    method: "GET", path: "/users/{userId}/profile", operationId: "getUserProfile", summary: "The user's OIDC standard claims", tag: "users",
    permission: "users:read", ifMatch: false,
    success: { status: 200, description: "The stored claims (null = not set)", schema: UserProfile },
    handle: Effect.fnUntraced(function*({ params }) {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.userProfile.getUserProfile({ userId: userIdOf(params) }) }
    })
  }),
  adminOperation({
    method: "PATCH", path: "/users/{userId}/profile", operationId: "updateUserProfile", summary: "Change the user's standard claims (absent fields stay, null clears)", tag: "users",
    permission: "users:write", ifMatch: false, body: UserProfilePatch,
    success: { status: 200, description: "The stored claims", schema: UserProfile },
    handle: Effect.fnUntraced(function*({ params, body, admin }) {
      const { adminBackends } = yield* Edge
      const profile = yield* adminBackends.userProfile.updateUserProfile({ userId: userIdOf(params), patch: body, editor: { kind: "admin", id: admin.userId } })
        .pipe(Effect.catchTag("OAuthError", (failure) => Effect.fail(profileProblem(failure))))
      return { status: 200, body: profile }
    })
  }),
  adminOperation({
    method: "POST", path: "/users/{userId}/disable", operationId: "disableUser", summary: "Disable a user: sign-in refused, every session and refresh token ended (idempotent)", tag: "users",
    permission: "users:write", ifMatch: false,
    success: { status: 200, description: "The user; `changed` is false when already disabled", schema: DisabledState, etag: true },
    handle: Effect.fnUntraced(function*({ params, admin, ctx }) {
      const state = yield* disableUser(ctx, { adminUserId: admin.userId, userId: userIdOf(params) }).pipe(Effect.mapError(domainProblem))
      return { status: 200, body: state, etag: state.user.version }
    })
  }),
  adminOperation({
    method: "POST", path: "/users/{userId}/enable", operationId: "enableUser", summary: "Enable a disabled user (idempotent)", tag: "users",
    permission: "users:write", ifMatch: false,
    success: { status: 200, description: "The user; `changed` is false when already enabled", schema: DisabledState, etag: true },
    handle: Effect.fnUntraced(function*({ params, admin }) {
      const state = yield* enableUser({ adminUserId: admin.userId, userId: userIdOf(params) }).pipe(Effect.mapError(domainProblem))
      return { status: 200, body: state, etag: state.user.version }
    })
  }),
  adminOperation({
    method: "POST", path: "/users/{userId}/mfa/reset", operationId: "resetUserMfa", summary: "Remove the user's TOTP and recovery codes (passkeys stay; idempotent)", tag: "users",
    permission: "users:write", ifMatch: false,
    success: { status: 200, description: "`removed` is false when the user had no TOTP", schema: Schema.Struct({ removed: Schema.Boolean }) },
    handle: Effect.fnUntraced(function*({ params, admin }) {
      return { status: 200, body: yield* resetUserMfa({ adminUserId: admin.userId, userId: userIdOf(params) }) }
    })
  }),
  adminOperation({
    method: "GET", path: "/users/{userId}/export", operationId: "exportUser", summary: "Everything held about the user (GDPR access; audited)", tag: "users",
    permission: "users:read", ifMatch: false,
    success: { status: 200, description: "The export (no credential material) with the user's live sessions", schema: UserExportDocument },
    handle: Effect.fnUntraced(function*({ params, admin }) {
      return { status: 200, body: yield* exportUser({ adminUserId: admin.userId, userId: userIdOf(params) }) }
    })
  })
]
