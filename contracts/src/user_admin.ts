/**
 * User administration contract (issue 12 §1), implemented by `IdentityService`
 * next to `IdentityContract`: create, search, read, update, disable, delete
 * and export users, and list/revoke their consents. The admin API's routes
 * call it through the edge's orchestration (`services/edge/src/admin/user_admin_operations.ts`),
 * which also ends the user's sessions and refresh families where a write needs it.
 *
 * Every write carries `adminUserId`, the signed-in administrator, and is
 * audited by identity with `actor: { kind: "admin", id: adminUserId }`.
 * Typed failures for the HTTP layer: `UserAdminInvalidInput` → 400 naming the
 * field, `NotFound` → 404, `UserVersionConflict` → 412, `EmailAddressTaken` → 409.
 */
import { Schema } from "effect"
import { EmailAddressTaken } from "./account_security.ts"
import { NotFound, Unavailable } from "./errors.ts"
import { User } from "./identity.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** Bad input to a user-admin method: `field` names the input member (RFC 9457 problem detail). */
export class UserAdminInvalidInput extends Schema.TaggedError<UserAdminInvalidInput>()("UserAdminInvalidInput", {
  field: Schema.String,
  reason: Schema.String
}) {}

/** `expectedVersion` is not the user's current version: someone else changed the user first (HTTP 412). */
export class UserVersionConflict extends Schema.TaggedError<UserVersionConflict>()("UserVersionConflict", {
  currentVersion: Schema.Number
}) {}

/** A user as the admin API shows it (never a credential). Times are epoch ms. */
export const AdminUser = Schema.Struct({
  ...User.fields,
  /** True when an admin disabled the account: every sign-in method refuses it. */
  disabled: Schema.Boolean,
  disabledAt: Schema.NullOr(Schema.Number),
  /** Moves on every change of the user row; the ETag, and `expectedVersion` of `updateUser`. */
  version: Schema.Number
})
/** Type of {@link AdminUser}. */
export type AdminUser = typeof AdminUser.Type

/** A role the user holds. */
export const AdminUserRole = Schema.Struct({ id: Schema.String, name: Schema.String })

/** An upstream account linked to the user ("Sign in with …"). */
export const AdminUpstreamLink = Schema.Struct({
  providerId: Schema.String,
  subject: Schema.String,
  email: Schema.NullOr(Schema.String),
  createdAt: Schema.Number,
  lastUsedAt: Schema.Number
})

/** `getUserDetail`: the user and a summary of their credentials and roles. */
export const AdminUserDetail = Schema.Struct({
  user: AdminUser,
  hasPassword: Schema.Boolean,
  passkeyCount: Schema.Number,
  totpEnabled: Schema.Boolean,
  /** Unused recovery codes (0 without TOTP). */
  recoveryCodesLeft: Schema.Number,
  roles: Schema.Array(AdminUserRole),
  upstreamLinks: Schema.Array(AdminUpstreamLink)
})
/** Type of {@link AdminUserDetail}. */
export type AdminUserDetail = typeof AdminUserDetail.Type

/** A consent: every scope the user has granted the client so far. */
export const AdminConsent = Schema.Struct({
  clientId: Schema.String,
  scopes: Schema.Array(Schema.String),
  grantedAt: Schema.Number
})
/** Type of {@link AdminConsent}. */
export type AdminConsent = typeof AdminConsent.Type

/**
 * Everything identity holds about a user (GDPR access, `exportUser`). No
 * credential material: passkeys without their public keys (key material, of
 * no use to the person and a needless copy), TOTP without its secret, recovery
 * codes as a count, no password hash. The edge adds the user's sessions.
 */
export const UserExport = Schema.Struct({
  exportedAt: Schema.Number,
  user: AdminUser,
  hasPassword: Schema.Boolean,
  passkeys: Schema.Array(Schema.Struct({
    credentialId: Schema.String,
    name: Schema.NullOr(Schema.String),
    transports: Schema.Array(Schema.String),
    createdAt: Schema.Number,
    lastUsedAt: Schema.NullOr(Schema.Number)
  })),
  totp: Schema.Struct({ enabled: Schema.Boolean, confirmedAt: Schema.NullOr(Schema.Number) }),
  recoveryCodesLeft: Schema.Number,
  consents: Schema.Array(AdminConsent),
  upstreamLinks: Schema.Array(AdminUpstreamLink),
  roles: Schema.Array(AdminUserRole),
  customFields: Schema.Array(Schema.Struct({ name: Schema.String, value: Schema.NullOr(Schema.String) })),
  /** Audit entries about the user, newest first (at most `auditLimit`; `auditTruncated` when there were more). */
  audit: Schema.Array(Schema.Struct({
    id: Schema.String,
    at: Schema.Number,
    type: Schema.String,
    actor: Schema.Struct({ kind: Schema.String, id: Schema.NullOr(Schema.String) }),
    clientId: Schema.NullOr(Schema.String),
    outcome: Schema.String,
    ip: Schema.NullOr(Schema.String),
    userAgent: Schema.NullOr(Schema.String),
    details: Schema.Record(Schema.String, Schema.Unknown)
  })),
  auditTruncated: Schema.Boolean
})
/** Type of {@link UserExport}. */
export type UserExport = typeof UserExport.Type

const Admin = { adminUserId: Schema.String }

/** Admin actions on a user carried out outside identity, recorded through `recordUserAdminAction`. */
export const UserAdminRecordedOperation = Schema.Literals(["session.revoked", "sessions.revoked_all"])
/** Type of {@link UserAdminRecordedOperation}. */
export type UserAdminRecordedOperation = typeof UserAdminRecordedOperation.Type
const WriteFailure = Schema.Union([UserAdminInvalidInput, NotFound, Unavailable])

/** Method schemas of user administration (on `IdentityService`). */
export const UserAdminContract = {
  /**
   * Creates a user. `password` (optional) must meet the password policy;
   * without one the user signs in by passkey, link or upstream IdP.
   * `EmailAddressTaken` when another user has the address (case-insensitive).
   */
  createUser: rpcMethod(
    Schema.Struct({
      ...Admin,
      email: Schema.String,
      name: Schema.optional(Schema.NullOr(Schema.String)),
      password: Schema.optional(Schema.NullOr(Schema.String)),
      emailVerified: Schema.optional(Schema.Boolean)
    }),
    AdminUser,
    Schema.Union([UserAdminInvalidInput, EmailAddressTaken, Unavailable])
  ),
  /**
   * Users matching every given filter: `id` exact, `email` a case-insensitive
   * prefix, `name` a case-insensitive substring. Pages of `limit` (1–100,
   * default 20) in a stable order (by email with an `email` filter, else by
   * id); `nextCursor` (opaque) continues after the last user of this page, null
   * on the last page. A cursor from another filter is `UserAdminInvalidInput`.
   */
  searchUsers: rpcMethod(
    Schema.Struct({
      id: Schema.optional(Schema.String),
      email: Schema.optional(Schema.String),
      name: Schema.optional(Schema.String),
      cursor: Schema.optional(Schema.String),
      limit: Schema.optional(Schema.Number)
    }),
    Schema.Struct({ users: Schema.Array(AdminUser), nextCursor: Schema.NullOr(Schema.String) }),
    Schema.Union([UserAdminInvalidInput, Unavailable])
  ),
  /** One user with credential summary and roles. */
  getUserDetail: rpcMethod(Schema.Struct({ userId: Schema.String }), AdminUserDetail, Schema.Union([NotFound, Unavailable])),
  /**
   * Changes name / email / emailVerified (absent members are kept) if the
   * user's version is still `expectedVersion`; of concurrent updates with the
   * same version exactly one wins, the others get `UserVersionConflict`.
   */
  updateUser: rpcMethod(
    Schema.Struct({
      ...Admin,
      userId: Schema.String,
      expectedVersion: Schema.Number,
      name: Schema.optional(Schema.NullOr(Schema.String)),
      email: Schema.optional(Schema.String),
      emailVerified: Schema.optional(Schema.Boolean)
    }),
    AdminUser,
    Schema.Union([UserAdminInvalidInput, NotFound, UserVersionConflict, EmailAddressTaken, Unavailable])
  ),
  /**
   * Disables or enables the account (idempotent; `changed` false when it
   * already was). Identity's sign-in methods refuse a disabled user at once;
   * ending their sessions and refresh tokens is the edge's part (user_admin_operations.ts).
   */
  setUserDisabled: rpcMethod(
    Schema.Struct({ ...Admin, userId: Schema.String, disabled: Schema.Boolean }),
    Schema.Struct({ user: AdminUser, changed: Schema.Boolean }),
    WriteFailure
  ),
  /**
   * Deletes the user and everything identity holds about them in ONE D1 batch
   * (passkeys, TOTP, recovery codes, consents, custom fields, upstream links,
   * roles, reset and email-change tokens, the row). Idempotent: `deleted`
   * false when there was no such user. The audit trail keeps its entries.
   * `expectedVersion` (optional, additive): every statement of the batch is
   * guarded by `users.version = expectedVersion`, so the version check and the
   * cascade are one transaction — `UserVersionConflict` when the user is at
   * another version, `NotFound` when it is gone (no idempotent `deleted: false`
   * then: of concurrent deletes with one version exactly one wins).
   */
  deleteUser: rpcMethod(
    Schema.Struct({ ...Admin, userId: Schema.String, expectedVersion: Schema.optional(Schema.Number) }),
    Schema.Struct({ deleted: Schema.Boolean }),
    Schema.Union([UserAdminInvalidInput, NotFound, UserVersionConflict, Unavailable])
  ),
  /**
   * Removes the user's TOTP second factor and recovery codes (lost phone; the
   * console's "reset MFA"), in one D1 batch. Passkeys stay (the account page
   * or `deleteUser` removes those). Idempotent: `removed` false when the user
   * had no TOTP. The user is told through the audit trail and their next sign-in
   * no longer asks for a code.
   */
  resetUserMfa: rpcMethod(
    Schema.Struct({ ...Admin, userId: Schema.String }),
    Schema.Struct({ removed: Schema.Boolean }),
    Schema.Union([NotFound, Unavailable])
  ),
  /** Everything identity holds about the user ({@link UserExport}); audited (personal data left the system). */
  exportUser: rpcMethod(Schema.Struct({ ...Admin, userId: Schema.String }), UserExport, Schema.Union([NotFound, Unavailable])),
  /** The user's consents, by client. */
  listConsents: rpcMethod(
    Schema.Struct({ userId: Schema.String }),
    Schema.Struct({ consents: Schema.Array(AdminConsent) }),
    Schema.Union([NotFound, Unavailable])
  ),
  /**
   * Forgets the user's consent for the client (the consent page shows again);
   * audited as `consent.revoked`. Idempotent: `revoked` false when there was none.
   * The edge also revokes that client's refresh families of the user.
   */
  revokeConsent: rpcMethod(
    Schema.Struct({ ...Admin, userId: Schema.String, clientId: Schema.String }),
    Schema.Struct({ revoked: Schema.Boolean }),
    Schema.Union([NotFound, Unavailable])
  ),
  /**
   * Records an admin's action on a user that another service carried out
   * (the edge's session revocations, user_admin_operations.ts) as
   * `admin.action` with the admin as actor: identity owns the audit trail of
   * user administration, the session service does not know the admin.
   */
  recordUserAdminAction: rpcMethod(
    Schema.Struct({
      ...Admin,
      userId: Schema.String,
      operation: UserAdminRecordedOperation,
      /** The session ended (`session.revoked`). */
      sessionId: Schema.optional(Schema.String),
      /** How many sessions / refresh families were ended. */
      count: Schema.optional(Schema.Number)
    }),
    Schema.Struct({}),
    Unavailable
  )
} as const
export const UserAdminContractVersion = contractVersion(UserAdminContract, { name: "user_admin", version: 1 })

/** RPC interface of user administration (on `IdentityService`). */
export type UserAdminRpc = RpcInterface<typeof UserAdminContract>
