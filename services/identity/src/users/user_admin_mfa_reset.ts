/**
 * `resetUserMfa` (issue 12 §2, the console's "reset MFA"): an admin removes a
 * user's TOTP and recovery codes — one D1 batch (both by their `user_id` keys)
 * — so a user who lost their authenticator can sign in with the first factor
 * and enrol again. Audited `admin.action` `user.mfa_reset` by the admin.
 */
import { tryD1, type UserAdminContract } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { auditUserAdminAction } from "./user_admin_audit.ts"
import { findAdminUser } from "./user_admin_row.ts"

type ResetInput = typeof UserAdminContract.resetUserMfa.input.Type

export const resetUserMfa = Effect.fnUntraced(function*(input: ResetInput) {
  yield* findAdminUser(input.userId)
  const { db } = yield* IdentityBindings
  const [totp] = yield* tryD1(serviceName, "user_totp.adminReset", () =>
    db.batch([
      db.prepare("DELETE FROM user_totp WHERE user_id = ? RETURNING confirmed_at").bind(input.userId),
      db.prepare("DELETE FROM user_recovery_codes WHERE user_id = ?").bind(input.userId)
    ]))
  const removed = (totp?.results.length ?? 0) > 0
  yield* auditUserAdminAction({ adminUserId: input.adminUserId, userId: input.userId, operation: "user.mfa_reset", details: { removed } })
  return { removed }
})
