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
}

export const userFromRow = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  emailVerified: row.email_verified === 1,
  name: row.name,
  picture: row.picture,
  createdAt: row.created_at,
  updatedAt: row.updated_at
})
