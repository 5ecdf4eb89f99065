/**
 * getPublicProfile of `IdentityDirectory` (issue 13 §1): the public OIDC
 * profile claims of a user from the `users` row — sub, name, given_name,
 * family_name, preferred_username, picture, locale, zoneinfo, each only when
 * set. Never email, phone, address or birthdate (contracts/src/directory.ts says why).
 */
import type { NotFound, PublicProfile, Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import type { IdentityBindings } from "../identity_bindings.ts"
import { findUserRow } from "../users/users.ts"
import type { UserRow } from "../users/user_row.ts"

/** The claims a directory lookup may release, and where each comes from. */
const publicClaims = ["name", "given_name", "family_name", "preferred_username", "picture", "locale", "zoneinfo"] as const

/** The row's public claims; unset (null, empty, or a row read before migration 0015) are left out. */
export const publicProfileOfRow = (row: UserRow): PublicProfile => {
  const profile: { -readonly [K in keyof PublicProfile]: PublicProfile[K] } = { sub: row.id }
  for (const claim of publicClaims) {
    const value = row[claim]
    if (typeof value === "string" && value !== "") profile[claim] = value
  }
  return profile
}

/** The user's public profile; `NotFound` for an unknown user. */
export const getPublicProfile = (input: { readonly userId: string }): Effect.Effect<PublicProfile, NotFound | Unavailable, IdentityBindings> =>
  Effect.map(findUserRow(input.userId), publicProfileOfRow)
