/**
 * `getUserProfile` / `updateUserProfile` (issue 12 §4): the OIDC standard
 * claims on the `users` row (migration 0015). A write is checked first
 * (profile_claim_formats.ts; a bad value is `invalid_request` naming the
 * field, nothing written), then ONE `UPDATE … RETURNING *` (idempotent:
 * it sets values, so the D1 retry may replay it). Audited as
 * `profile.updated` with the editor — the user themself or an admin — as actor.
 */
import { NotFound, OAuthError, tryD1, type ProfileEditor, type UserProfile, type UserProfilePatch } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { auditProfileChange } from "../identity_audit.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { checkProfilePatch } from "./profile_claim_formats.ts"
import { addressOfRow, type UserRow } from "./user_row.ts"
import { findUserRow } from "./users.ts"

/** The profile of a row (null for every claim the row does not hold). */
export const profileOfRow = (row: UserRow): UserProfile => ({
  name: row.name,
  given_name: row.given_name ?? null,
  family_name: row.family_name ?? null,
  middle_name: row.middle_name ?? null,
  nickname: row.nickname ?? null,
  preferred_username: row.preferred_username ?? null,
  profile: row.profile ?? null,
  picture: row.picture,
  website: row.website ?? null,
  gender: row.gender ?? null,
  birthdate: row.birthdate ?? null,
  zoneinfo: row.zoneinfo ?? null,
  locale: row.locale ?? null,
  phone_number: row.phone_number ?? null,
  phone_number_verified: row.phone_number_verified === 1,
  address: addressOfRow(row)
})

/** The stored standard claims of `userId`. */
export const getUserProfile = Effect.fnUntraced(function*(input: { readonly userId: string }) {
  return profileOfRow(yield* findUserRow(input.userId))
})

/** Columns a patch may write: the claim names, nothing else (never password_hash, email, id). */
const writableColumns = [
  "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
  "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address"
] as const

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description })

/** Applies `patch` for `editor`; see the module comment. */
export const updateUserProfile = Effect.fnUntraced(function*(input: { readonly userId: string; readonly patch: UserProfilePatch; readonly editor: ProfileEditor }) {
  // A user edits their own profile only (the edge passes the signed-in user; this is the backstop).
  if (input.editor.kind === "user" && input.editor.id !== input.userId) {
    return yield* new OAuthError({ code: "access_denied", description: "a user may edit only their own profile" })
  }
  // Only an admin (or a verification flow) vouches for a phone number.
  if (input.editor.kind === "user" && input.patch.phone_number_verified !== undefined) {
    return yield* invalid("phone_number_verified cannot be set by the user")
  }
  const checked = checkProfilePatch(input.patch)
  if ("reason" in checked) return yield* invalid(`${checked.field} ${checked.reason}`)
  const assignments: Array<string> = []
  const values: Array<string | number | null> = []
  for (const column of writableColumns) {
    const value = checked[column]
    if (value === undefined) continue
    values.push(column === "phone_number_verified" ? (value === true ? 1 : 0) : column === "address" ? (value === null ? null : JSON.stringify(value)) : value as string | null)
    assignments.push(`${column} = ?${values.length}`)
  }
  // A user who changes their number loses its verified mark (SQLite evaluates the CASE on the old row).
  if (input.editor.kind === "user" && checked.phone_number !== undefined) {
    values.push(checked.phone_number)
    assignments.push(`phone_number_verified = CASE WHEN phone_number IS ?${values.length} THEN phone_number_verified ELSE 0 END`)
  }
  if (assignments.length === 0) return yield* getUserProfile({ userId: input.userId })
  const { db } = yield* IdentityBindings
  values.push(yield* Clock.currentTimeMillis)
  assignments.push(`updated_at = ?${values.length}`)
  values.push(input.userId)
  const row = yield* tryD1(serviceName, "users.updateProfile", () =>
    db.prepare(`UPDATE users SET ${assignments.join(", ")} WHERE id = ?${values.length} RETURNING *`).bind(...values).first<UserRow>())
  if (row === null) return yield* new NotFound({ what: "user" })
  yield* auditProfileChange({
    editor: input.editor,
    userId: input.userId,
    fields: writableColumns.filter((c) => checked[c] !== undefined).join(",")
  })
  return profileOfRow(row)
})
