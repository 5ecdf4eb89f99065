/**
 * The access tokens issued from one refresh family, kept IN the family row
 * (`refresh_families.access_json`) so revoking the family can put them on the
 * denylist. One column of the row a rotation updates anyway, instead of a
 * table with two indexes: a rotation writes one SQLite row, not four (DO
 * storage bills each row written, index entries included).
 *
 * Entries leave when the token has expired (pruned on every write). At most
 * `MAX_REMEMBERED_ACCESS` are kept, newest first: a family rotated more often
 * than that within one access-token lifetime forgets its oldest tokens, which
 * then live out their (≤ 1 h) lifetime if the family is revoked.
 */
import type { IssuedAccess } from "./refresh_token_rotator.ts"

/** Bound of the list (a family rotating this often within an hour is already odd; the rate limit sees it first). */
export const MAX_REMEMBERED_ACCESS = 50

const isIssuedAccess = (value: unknown): value is IssuedAccess =>
  typeof value === "object" && value !== null &&
  typeof (value as IssuedAccess).jti === "string" && typeof (value as IssuedAccess).expiresAt === "number"

/** The unexpired entries of a stored list (a malformed column reads as empty). */
export const liveAccess = (json: string | null, now: number): Array<IssuedAccess> => {
  try {
    const parsed: unknown = JSON.parse(json ?? "[]")
    return Array.isArray(parsed) ? parsed.filter(isIssuedAccess).filter((a) => a.expiresAt > now) : []
  } catch {
    return []
  }
}

/** The list after issuing `access`: expired ones dropped, newest first, bounded. */
export const accessListWith = (json: string | null, access: IssuedAccess, now: number): string =>
  JSON.stringify([access, ...liveAccess(json, now).filter((a) => a.jti !== access.jti)].slice(0, MAX_REMEMBERED_ACCESS))

/**
 * Moves rows of the former `family_access_tokens` table (objects created
 * before the list lived in the family row) into `access_json`, then drops it.
 * Runs in the constructor; a no-op once done.
 */
export const migrateFamilyAccessTable = (sql: SqlStorage): void => {
  const legacy = sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'family_access_tokens'").toArray()
  if (legacy.length === 0) return
  sql.exec(
    `UPDATE refresh_families SET access_json = (
       SELECT json_group_array(json_object('jti', f.jti, 'expiresAt', f.expires_at))
       FROM family_access_tokens f WHERE f.family_id = refresh_families.id
     ) WHERE id IN (SELECT family_id FROM family_access_tokens)`
  )
  sql.exec("DROP TABLE family_access_tokens")
}
