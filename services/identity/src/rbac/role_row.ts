/** A D1 `roles` row (migrations 0001 + 0012) and its contract shape. */
import { Permission, type Role } from "@authrim/contracts"
import { Schema } from "effect"

export interface RoleRow {
  readonly id: string
  readonly name: string
  readonly description: string | null
  readonly permissions_json: string
  readonly version: number
  readonly created_at: number
  readonly updated_at: number
}

const isPermission = Schema.is(Permission)

/**
 * The role of a row. A permission outside today's vocabulary (written by a
 * newer deployment, or by hand) is dropped, never granted.
 */
export const roleFromRow = (row: RoleRow): Role => {
  let stored: unknown
  try {
    stored = JSON.parse(row.permissions_json)
  } catch {
    stored = []
  }
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: Array.isArray(stored) ? stored.filter(isPermission) : [],
    version: row.version,
    createdAt: row.created_at,
    // Rows from before migration 0012 have updated_at 0: their creation is their last change.
    updatedAt: row.updated_at === 0 ? row.created_at : row.updated_at
  }
}
