/**
 * `exportUser` (issue 12 §1, GDPR access): everything identity holds about a
 * user as one JSON document ({@link UserExport} in contracts/src/user_admin.ts
 * says what is left out and why — no key material, no TOTP secret, no hashes).
 * One D1 batch for the rows, then the audit entries about the user through
 * the audit read side (`user_id` index), newest first, at most
 * `EXPORT_AUDIT_LIMIT`. Audited as `admin.action` `user.exported`.
 */
import { NotFound, tryD1, type UserAdminContract } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { queryAuditLog } from "../audit/audit_query.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { passkeyFromRow, type PasskeyRow } from "../passkeys/passkey_table.ts"
import { auditUserAdminAction } from "./user_admin_audit.ts"
import { consentFromRow, consentsOf } from "./user_admin_consents.ts"
import { linkFromRow, rolesAndLinks } from "./user_admin_detail.ts"
import { ADMIN_USER_COLUMNS, adminUserFromRow, type AdminUserRow } from "./user_admin_row.ts"

type ExportInput = typeof UserAdminContract.exportUser.input.Type

/** Audit entries in one export: 5 pages of the audit query's maximum (200). */
export const EXPORT_AUDIT_LIMIT = 1000
const AUDIT_PAGE = 200

const parseDetails = (metadata: string | null): Record<string, unknown> => {
  if (metadata === null) return {}
  try {
    const parsed: unknown = JSON.parse(metadata)
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {}
  } catch {
    return {}
  }
}

const auditEntriesAbout = Effect.fnUntraced(function*(db: D1Database, userId: string) {
  const entries: Array<{ id: string; at: number; type: string; actor: { kind: string; id: string | null }; clientId: string | null; outcome: string; ip: string | null; userAgent: string | null; details: Record<string, unknown> }> = []
  let cursor: string | undefined
  while (entries.length < EXPORT_AUDIT_LIMIT) {
    const page = yield* queryAuditLog(db, { userId, limit: AUDIT_PAGE, cursor })
    for (const r of page.entries) {
      entries.push({
        id: r.id, at: r.created_at, type: r.action, actor: { kind: r.actor_type, id: r.actor_id }, clientId: r.client_id,
        outcome: r.outcome, ip: r.ip, userAgent: r.user_agent, details: parseDetails(r.metadata)
      })
    }
    if (page.nextCursor === null) return { entries, truncated: false }
    cursor = page.nextCursor
  }
  return { entries, truncated: true }
})

export const exportUser = Effect.fnUntraced(function*(input: ExportInput) {
  const { db } = yield* IdentityBindings
  const id = input.userId
  const [users, passkeys, totp, codes, consents, roles, links, fields] = yield* tryD1(serviceName, "users.adminExport", () =>
    db.batch<unknown>([
      db.prepare(`SELECT ${ADMIN_USER_COLUMNS}, password_hash IS NOT NULL AS has_password FROM users WHERE id = ?`).bind(id),
      db.prepare("SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at").bind(id),
      db.prepare("SELECT confirmed_at FROM user_totp WHERE user_id = ?").bind(id),
      db.prepare("SELECT COUNT(*) AS n FROM user_recovery_codes WHERE user_id = ? AND used_at IS NULL").bind(id),
      consentsOf(db, id),
      ...rolesAndLinks(db, id),
      db.prepare("SELECT field_name, field_value FROM user_custom_fields WHERE user_id = ? ORDER BY field_name").bind(id)
    ]))
  const row = users!.results[0] as (AdminUserRow & { has_password: number }) | undefined
  if (row === undefined) return yield* new NotFound({ what: "user" })
  const audit = yield* auditEntriesAbout(db, id)
  const confirmedAt = (totp!.results[0] as { confirmed_at: number | null } | undefined)?.confirmed_at ?? null
  const exported = {
    exportedAt: yield* Clock.currentTimeMillis,
    user: adminUserFromRow(row),
    hasPassword: row.has_password === 1,
    passkeys: (passkeys!.results as Array<PasskeyRow>).map(passkeyFromRow).map((p) => ({
      credentialId: p.credentialId, name: p.name, transports: [...p.transports], createdAt: p.createdAt, lastUsedAt: p.lastUsedAt
    })),
    totp: { enabled: confirmedAt !== null, confirmedAt },
    recoveryCodesLeft: confirmedAt === null ? 0 : (codes!.results[0] as { n: number }).n,
    consents: (consents!.results as Array<{ client_id: string; scope: string; granted_at: number }>).map(consentFromRow),
    upstreamLinks: (links!.results as Array<Parameters<typeof linkFromRow>[0]>).map(linkFromRow),
    roles: (roles!.results as Array<{ id: string; name: string }>).map((r) => ({ id: r.id, name: r.name })),
    customFields: (fields!.results as Array<{ field_name: string; field_value: string | null }>).map((f) => ({ name: f.field_name, value: f.field_value })),
    audit: audit.entries,
    auditTruncated: audit.truncated
  }
  yield* auditUserAdminAction({ adminUserId: input.adminUserId, userId: id, operation: "user.exported", details: { audit_entries: audit.entries.length } })
  return exported
})
