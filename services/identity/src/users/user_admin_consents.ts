/**
 * Consents seen and withdrawn by an admin (issue 12 §1): the user's rows of
 * `oauth_client_consents` (primary key `(user_id, client_id)`, so both are
 * one indexed read or delete). A revocation makes the consent page show again
 * for that client; the edge also ends the client's refresh families of the user.
 */
import { tryD1, type AdminConsent, type UserAdminContract } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { auditConsentRevokedByAdmin } from "./user_admin_audit.ts"
import { findAdminUser } from "./user_admin_row.ts"

type RevokeInput = typeof UserAdminContract.revokeConsent.input.Type

interface ConsentRow { client_id: string; scope: string; granted_at: number }

export const consentFromRow = (r: ConsentRow): AdminConsent => ({
  clientId: r.client_id, scopes: r.scope.split(" ").filter((s) => s !== ""), grantedAt: r.granted_at
})

/** The statement reading a user's consents (shared with the export). */
export const consentsOf = (db: D1Database, userId: string) =>
  db.prepare("SELECT client_id, scope, granted_at FROM oauth_client_consents WHERE user_id = ? ORDER BY client_id").bind(userId)

/** The user's consents by client; `NotFound` for an unknown user. */
export const listConsents = Effect.fnUntraced(function*(input: { readonly userId: string }) {
  yield* findAdminUser(input.userId)
  const { db } = yield* IdentityBindings
  const { results } = yield* tryD1(serviceName, "oauth_client_consents.adminList", () => consentsOf(db, input.userId).all<ConsentRow>())
  return { consents: results.map(consentFromRow) }
})

/** Deletes the consent; `revoked` false when there was none (idempotent, and then nothing is audited). */
export const revokeConsent = Effect.fnUntraced(function*(input: RevokeInput) {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "oauth_client_consents.adminRevoke", () =>
    db.prepare("DELETE FROM oauth_client_consents WHERE user_id = ? AND client_id = ? RETURNING scope")
      .bind(input.userId, input.clientId).first<{ scope: string }>())
  if (row === null) return { revoked: false }
  yield* auditConsentRevokedByAdmin({ adminUserId: input.adminUserId, userId: input.userId, clientId: input.clientId, scope: row.scope })
  return { revoked: true }
})
