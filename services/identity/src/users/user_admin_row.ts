/**
 * The `users` row as the admin API reads it (migration 0013 adds `disabled_at`
 * and `version`), its mapping to `AdminUser`, and the shared checks of the
 * user-admin programs.
 */
import { NotFound, tryD1, UserAdminInvalidInput, type AdminUser } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { userFromRow, type UserRow } from "./user_row.ts"

/** A user row with the admin columns. */
export interface AdminUserRow extends UserRow {
  disabled_at: number | null
  version: number
}

/** Only the columns `AdminUser` shows (never `password_hash`). */
export const ADMIN_USER_COLUMNS = "id, email, name, picture, email_verified, created_at, updated_at, disabled_at, version"

export const adminUserFromRow = (row: Omit<AdminUserRow, "password_hash">): AdminUser => ({
  ...userFromRow(row),
  disabled: row.disabled_at !== null,
  disabledAt: row.disabled_at,
  version: row.version
})

/** The admin view of a user by id; `NotFound` when absent. */
export const findAdminUser = Effect.fnUntraced(function*(userId: string) {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "users.adminById", () =>
    db.prepare(`SELECT ${ADMIN_USER_COLUMNS} FROM users WHERE id = ?`).bind(userId).first<AdminUserRow>())
  if (row === null) return yield* new NotFound({ what: "user" })
  return adminUserFromRow(row)
})

/** Deliberately loose, as `upsertUser`: the admin UI checks the form; this rejects what cannot be an address. */
const plausibleEmail = /^[^\s@]+@[^\s@]+$/
/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address is at most 254 characters. */
const MAX_EMAIL_LENGTH = 254
/** Names beyond this are not names (and would bloat every ID token). */
export const MAX_NAME_LENGTH = 256

/** The trimmed address, or `UserAdminInvalidInput` naming `email`. */
export const checkEmail = (email: string): Effect.Effect<string, UserAdminInvalidInput> => {
  const trimmed = email.trim()
  if (trimmed.length > MAX_EMAIL_LENGTH || !plausibleEmail.test(trimmed)) {
    return Effect.fail(new UserAdminInvalidInput({ field: "email", reason: "is not a valid email address" }))
  }
  return Effect.succeed(trimmed)
}

/** The trimmed name (empty → null), or `UserAdminInvalidInput` naming `name`. */
export const checkName = (name: string | null): Effect.Effect<string | null, UserAdminInvalidInput> => {
  if (name === null) return Effect.succeed(null)
  const trimmed = name.trim()
  if ([...trimmed].length > MAX_NAME_LENGTH) {
    return Effect.fail(new UserAdminInvalidInput({ field: "name", reason: `is longer than ${MAX_NAME_LENGTH} characters` }))
  }
  return Effect.succeed(trimmed === "" ? null : trimmed)
}
