/**
 * `deleteUser` (issue 12 §1, GDPR erasure): every row identity holds about
 * the user goes in ONE D1 batch (a transaction: all or nothing) — passkeys,
 * TOTP and recovery codes, consents, custom fields, upstream links, roles,
 * password-reset and email-change tokens, then the user row. The foreign keys
 * would cascade most of these; the explicit deletes make the list visible and
 * do not depend on `PRAGMA foreign_keys`. The audit trail keeps its entries
 * (the record of what happened, including this deletion).
 * Sessions and refresh families belong to other services: the edge ends them
 * first (user_admin_operations.ts).
 */
import { NotFound, tryD1, UserVersionConflict, type UserAdminContract } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { removeUserAvatarObjects } from "./user_admin_avatar_seam.ts"
import { auditUserAdminAction } from "./user_admin_audit.ts"

type DeleteInput = typeof UserAdminContract.deleteUser.input.Type

/** Tables with a `user_id` column cleared before the user row, in this order. */
export const USER_OWNED_TABLES = [
  "passkeys",
  "user_recovery_codes",
  "user_totp",
  "oauth_client_consents",
  "user_custom_fields",
  "user_identities",
  "user_roles",
  "password_reset_tokens",
  "email_change_tokens"
] as const

/**
 * Deletes the user and everything of theirs; `deleted` false when there was no
 * such user (idempotent). With `expectedVersion` every statement of the batch
 * carries the guard `users.version = ?` (the batch is one transaction, so the
 * check and the cascade cannot be split by a concurrent write): a mismatch
 * deletes nothing and is `UserVersionConflict`, a user already gone is
 * `NotFound`. The avatar object goes first only when the read saw the
 * expected version (a conflict found there removes nothing).
 */
export const deleteUser = Effect.fnUntraced(function*(input: DeleteInput) {
  const { db } = yield* IdentityBindings
  const expected = input.expectedVersion
  const found = yield* tryD1(serviceName, "users.adminDeleteRead", () =>
    db.prepare("SELECT picture, version FROM users WHERE id = ?").bind(input.userId).first<{ picture: string | null; version: number }>())
  if (found === null) {
    if (expected !== undefined) return yield* new NotFound({ what: "user" })
    return { deleted: false }
  }
  if (expected !== undefined && found.version !== expected) return yield* new UserVersionConflict({ currentVersion: found.version })
  yield* removeUserAvatarObjects({ userId: input.userId, picture: found.picture })
  const guard = expected === undefined ? "" : " AND EXISTS (SELECT 1 FROM users WHERE id = ? AND version = ?)"
  const guardArgs = expected === undefined ? [] : [input.userId, expected]
  const results = yield* tryD1(serviceName, "users.adminDelete", () =>
    db.batch([
      ...USER_OWNED_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE user_id = ?${guard}`).bind(input.userId, ...guardArgs)),
      expected === undefined
        ? db.prepare("DELETE FROM users WHERE id = ? RETURNING id").bind(input.userId)
        : db.prepare("DELETE FROM users WHERE id = ? AND version = ? RETURNING id").bind(input.userId, expected)
    ]))
  const deleted = (results[results.length - 1]?.results.length ?? 0) > 0
  if (!deleted && expected !== undefined) {
    // Lost a race after the read: nothing was deleted (every statement carried the guard); say why.
    const now = yield* tryD1(serviceName, "users.adminDeleteRecheck", () =>
      db.prepare("SELECT version FROM users WHERE id = ?").bind(input.userId).first<{ version: number }>())
    if (now === null) return yield* new NotFound({ what: "user" })
    return yield* new UserVersionConflict({ currentVersion: now.version })
  }
  yield* auditUserAdminAction({ adminUserId: input.adminUserId, userId: input.userId, operation: "user.deleted", details: { deleted } })
  return { deleted }
})
