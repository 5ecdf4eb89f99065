/**
 * `updateUser` and `setUserDisabled` (issue 12 §1). The update is one
 * compare-and-set on `users.version` (`UPDATE OR IGNORE … WHERE id AND version
 * = expected`, bumping the version): of concurrent updates with the same
 * version exactly one changes a row. `OR IGNORE` turns a clash with the
 * unique email index into "no row changed"; a re-read then tells which of
 * unknown user, stale version or taken address it was. A changed address
 * also ends the unused password-reset and email-change links of the user (in
 * the same batch): they were mailed to the old address.
 */
import { EmailAddressTaken, tryD1, UserVersionConflict, type UserAdminContract } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { auditUserAdminAction } from "./user_admin_audit.ts"
import { ADMIN_USER_COLUMNS, adminUserFromRow, checkEmail, checkName, findAdminUser, type AdminUserRow } from "./user_admin_row.ts"

type UpdateInput = typeof UserAdminContract.updateUser.input.Type
type DisableInput = typeof UserAdminContract.setUserDisabled.input.Type

export const updateUser = Effect.fnUntraced(function*(input: UpdateInput) {
  const email = input.email === undefined ? null : yield* checkEmail(input.email)
  const name = input.name === undefined ? undefined : yield* checkName(input.name)
  const { db } = yield* IdentityBindings
  const now = yield* Clock.currentTimeMillis
  const sets = ["version = version + 1", "updated_at = ?"]
  const params: Array<string | number | null> = [now]
  const changed: Array<string> = []
  if (name !== undefined) { sets.push("name = ?"); params.push(name); changed.push("name") }
  if (email !== null) { sets.push("email = ?"); params.push(email); changed.push("email") }
  if (input.emailVerified !== undefined) { sets.push("email_verified = ?"); params.push(input.emailVerified ? 1 : 0); changed.push("email_verified") }
  const update = db.prepare(`UPDATE OR IGNORE users SET ${sets.join(", ")} WHERE id = ? AND version = ? RETURNING ${ADMIN_USER_COLUMNS}`)
    .bind(...params, input.userId, input.expectedVersion)
  // A new address: links mailed to the old one (password reset, pending email change) stop working, in the same
  // transaction and only if this update won (the row now has the new address at the version this update made).
  const dropLinks = email === null ? [] : ["password_reset_tokens", "email_change_tokens"].map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE user_id = ?1 AND used_at IS NULL
      AND EXISTS (SELECT 1 FROM users WHERE id = ?1 AND version = ?2 AND email = ?3)`).bind(input.userId, input.expectedVersion + 1, email))
  const [updated] = yield* tryD1(serviceName, "users.adminUpdate", () => db.batch<AdminUserRow>([update, ...dropLinks]))
  const row = updated?.results[0] ?? null
  if (row === null) {
    const current = yield* findAdminUser(input.userId)
    if (current.version !== input.expectedVersion) return yield* new UserVersionConflict({ currentVersion: current.version })
    return yield* new EmailAddressTaken()
  }
  const user = adminUserFromRow(row)
  yield* auditUserAdminAction({
    adminUserId: input.adminUserId, userId: user.id, operation: "user.updated",
    details: { fields: changed.join(" "), version: user.version }
  })
  return user
})

/**
 * Sets or clears `disabled_at`. Idempotent: a user already in that state is
 * left as it is (`changed` false; the time of the first disable is kept) —
 * the edge's retry of a half-done disable lands here. Audited either way,
 * with `changed`, so a repeated admin action is on the record too.
 */
export const setUserDisabled = Effect.fnUntraced(function*(input: DisableInput) {
  const { db } = yield* IdentityBindings
  const now = yield* Clock.currentTimeMillis
  const row = yield* tryD1(serviceName, "users.adminDisable", () =>
    db.prepare(
      `UPDATE users SET disabled_at = ?2, version = version + 1, updated_at = ?3
       WHERE id = ?1 AND (disabled_at IS NULL) = (?2 IS NOT NULL)
       RETURNING ${ADMIN_USER_COLUMNS}`
    ).bind(input.userId, input.disabled ? now : null, now).first<AdminUserRow>())
  const user = row === null ? yield* findAdminUser(input.userId) : adminUserFromRow(row)
  yield* auditUserAdminAction({
    adminUserId: input.adminUserId, userId: input.userId, operation: input.disabled ? "user.disabled" : "user.enabled",
    details: { changed: row !== null }
  })
  return { user, changed: row !== null }
})
