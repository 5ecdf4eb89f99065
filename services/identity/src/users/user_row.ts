/** The `users` row and its mapping to the contract's `User` (no credential material leaves). */
import type { User } from "@authrim/contracts"

export interface UserRow {
  id: string
  email: string
  name: string | null
  picture: string | null
  password_hash: string | null
  email_verified: number
  created_at: number
  updated_at: number
  // OIDC standard claims (migration 0015); absent on a row read before the migration ran.
  given_name?: string | null
  family_name?: string | null
  middle_name?: string | null
  nickname?: string | null
  preferred_username?: string | null
  profile?: string | null
  website?: string | null
  gender?: string | null
  birthdate?: string | null
  zoneinfo?: string | null
  locale?: string | null
  phone_number?: string | null
  phone_number_verified?: number
  /** JSON object (OIDC Core §5.1.1). */
  address?: string | null
}

/** The stored address object, or null when unset or not a JSON object. */
export const addressOfRow = (row: UserRow): Record<string, unknown> | null => {
  if (row.address === undefined || row.address === null) return null
  try {
    const parsed: unknown = JSON.parse(row.address)
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : null
  } catch {
    return null
  }
}

export const userFromRow = (row: Omit<UserRow, "password_hash">): User => ({
  id: row.id,
  email: row.email,
  emailVerified: row.email_verified === 1,
  name: row.name,
  picture: row.picture,
  createdAt: row.created_at,
  updatedAt: row.updated_at
})
