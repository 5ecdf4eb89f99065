/** `createUser` (issue 12 §1): a new user made by an admin, audited `admin.action` `user.created`. */
import { EmailAddressTaken, UserAdminInvalidInput, tryD1, type UserAdminContract } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { hashPassword } from "../passwords/password_hash.ts"
import { checkNewPassword } from "../passwords/password_policy.ts"
import { auditUserAdminAction } from "./user_admin_audit.ts"
import { ADMIN_USER_COLUMNS, adminUserFromRow, checkEmail, checkName, type AdminUserRow } from "./user_admin_row.ts"

type CreateUserInput = typeof UserAdminContract.createUser.input.Type

/**
 * One `INSERT … ON CONFLICT DO NOTHING RETURNING`: no row back means the
 * address (case-insensitive) belongs to another user → `EmailAddressTaken`.
 * The password, when given, must meet the policy and is stored as PBKDF2.
 */
export const createUser = Effect.fnUntraced(function*(input: CreateUserInput) {
  const email = yield* checkEmail(input.email)
  const name = yield* checkName(input.name ?? null)
  const password = input.password ?? null
  if (password !== null) {
    yield* checkNewPassword(password).pipe(
      Effect.catchTag("OAuthError", (e) => Effect.fail(new UserAdminInvalidInput({ field: "password", reason: e.description })))
    )
  }
  const passwordHash = password === null ? null : yield* hashPassword(password)
  const { db } = yield* IdentityBindings
  const now = yield* Clock.currentTimeMillis
  const id = crypto.randomUUID()
  const row = yield* tryD1(serviceName, "users.adminCreate", () =>
    db.prepare(
      `INSERT INTO users (id, email, name, picture, password_hash, email_verified, created_at, updated_at)
       VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?6)
       ON CONFLICT DO NOTHING
       RETURNING ${ADMIN_USER_COLUMNS}`
    ).bind(id, email, name, passwordHash, input.emailVerified === true ? 1 : 0, now).first<AdminUserRow>())
  if (row === null) {
    // A replay of this very insert by the retry policy also lands here: it committed, so answer with it.
    const mine = yield* tryD1(serviceName, "users.adminById", () =>
      db.prepare(`SELECT ${ADMIN_USER_COLUMNS} FROM users WHERE id = ?`).bind(id).first<AdminUserRow>())
    if (mine === null) return yield* new EmailAddressTaken()
    return adminUserFromRow(mine)
  }
  const user = adminUserFromRow(row)
  yield* auditUserAdminAction({
    adminUserId: input.adminUserId, userId: user.id, operation: "user.created",
    details: { email_verified: user.emailVerified, with_password: password !== null }
  })
  return user
})
