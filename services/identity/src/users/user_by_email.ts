/** The `users` row of an email address (case-insensitive), or null. */
import { tryD1 } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import type { UserRow } from "./user_row.ts"

export const findUserRowByEmail = Effect.fnUntraced(function*(email: string) {
  const { db } = yield* IdentityBindings
  return yield* tryD1(serviceName, "users.byEmail", () =>
    db.prepare("SELECT * FROM users WHERE email = ? COLLATE NOCASE").bind(email.trim()).first<UserRow>())
})
