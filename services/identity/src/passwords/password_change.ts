/**
 * Password change by a signed-in user: the current password must verify
 * (same PBKDF2 cost whether or not the user has one, like sign-in), the new
 * one must meet the policy. The write is a compare-and-set on the hash that
 * was verified (or the new one, so a retried write that already landed still
 * succeeds): a concurrent change cannot be silently overwritten. Outstanding
 * reset tokens of the user are dropped in the same batch.
 */
import { InvalidCredentials, tryD1 } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "./password_hash.ts"
import { checkNewPassword } from "./password_policy.ts"
import { findUserRow } from "../users/users.ts"

export const changePassword = Effect.fnUntraced(function*(input: {
  readonly userId: string
  readonly currentPassword: string
  readonly newPassword: string
}) {
  const row = yield* findUserRow(input.userId)
  const stored = row.password_hash
  const matches = yield* verifyPassword(input.currentPassword, stored ?? DUMMY_PASSWORD_HASH)
  if (stored === null || !matches) return yield* new InvalidCredentials()
  yield* checkNewPassword(input.newPassword)
  const { db } = yield* IdentityBindings
  const newHash = yield* hashPassword(input.newPassword)
  const now = yield* Clock.currentTimeMillis
  const [update] = yield* tryD1(serviceName, "users.changePassword", () =>
    db.batch([
      db.prepare("UPDATE users SET password_hash = ?1, updated_at = ?2 WHERE id = ?3 AND password_hash IN (?4, ?1)")
        .bind(newHash, now, input.userId, stored),
      db.prepare("DELETE FROM password_reset_tokens WHERE user_id = ? AND used_at IS NULL").bind(input.userId)
    ]))
  if ((update?.meta.changes ?? 0) === 0) return yield* new InvalidCredentials()
  return {}
})
