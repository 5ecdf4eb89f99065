/**
 * `getSignInMethods`: which ways a user can sign in, so the edge can ask a
 * step-up re-authentication with the strongest of them (passkey, else password
 * with TOTP when enrolled, else what the account has). One D1 query.
 */
import { NotFound, tryD1 } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

export const getSignInMethods = Effect.fnUntraced(function*(input: { readonly userId: string }) {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "users.signInMethods", () =>
    db.prepare(
      `SELECT u.password_hash IS NOT NULL AS password,
              (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys,
              EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL) AS totp
       FROM users u WHERE u.id = ?`
    ).bind(input.userId).first<{ password: number; passkeys: number; totp: number }>())
  if (row === null) return yield* new NotFound({ what: "user" })
  return { passkeys: row.passkeys, password: row.password === 1, totp: row.totp === 1 }
})
