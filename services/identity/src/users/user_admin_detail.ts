/**
 * `getUserDetail` (issue 12 §1): the user, a credential summary, roles and
 * upstream links — one D1 batch (one round trip) of indexed reads: users by
 * PK, passkeys by `passkeys_user`, TOTP by PK, recovery codes and roles by
 * their `(user_id, …)` primary keys, links by `user_identities_user`.
 */
import { NotFound, tryD1 } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { ADMIN_USER_COLUMNS, adminUserFromRow, type AdminUserRow } from "./user_admin_row.ts"

interface SummaryRow { has_password: number; passkeys: number; totp_enabled: number; codes_left: number }
interface RoleRow { id: string; name: string }
interface LinkRow { provider_id: string; subject: string; email: string | null; created_at: number; last_used_at: number }

export const linkFromRow = (r: LinkRow) => ({
  providerId: r.provider_id, subject: r.subject, email: r.email, createdAt: r.created_at, lastUsedAt: r.last_used_at
})

/** The statements that read a user's roles and upstream links (shared with the export). */
export const rolesAndLinks = (db: D1Database, userId: string) => [
  db.prepare("SELECT r.id, r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = ? ORDER BY r.name").bind(userId),
  db.prepare("SELECT provider_id, subject, email, created_at, last_used_at FROM user_identities WHERE user_id = ? ORDER BY provider_id, subject").bind(userId)
] as const

export const getUserDetail = Effect.fnUntraced(function*(input: { readonly userId: string }) {
  const { db } = yield* IdentityBindings
  const [users, summary, roles, links] = yield* tryD1(serviceName, "users.adminDetail", () =>
    db.batch<unknown>([
      db.prepare(`SELECT ${ADMIN_USER_COLUMNS} FROM users WHERE id = ?`).bind(input.userId),
      db.prepare(
        `SELECT (SELECT password_hash IS NOT NULL FROM users WHERE id = ?1) AS has_password,
           (SELECT COUNT(*) FROM passkeys WHERE user_id = ?1) AS passkeys,
           EXISTS (SELECT 1 FROM user_totp WHERE user_id = ?1 AND confirmed_at IS NOT NULL) AS totp_enabled,
           (SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = ?1 AND used_at IS NULL) AS codes_left`
      ).bind(input.userId),
      ...rolesAndLinks(db, input.userId)
    ]))
  const row = users!.results[0] as AdminUserRow | undefined
  if (row === undefined) return yield* new NotFound({ what: "user" })
  const s = summary!.results[0] as SummaryRow
  const totpEnabled = s.totp_enabled === 1
  return {
    user: adminUserFromRow(row),
    hasPassword: s.has_password === 1,
    passkeyCount: s.passkeys,
    totpEnabled,
    recoveryCodesLeft: totpEnabled ? s.codes_left : 0,
    roles: (roles!.results as Array<RoleRow>).map((r) => ({ id: r.id, name: r.name })),
    upstreamLinks: (links!.results as Array<LinkRow>).map(linkFromRow)
  }
})
