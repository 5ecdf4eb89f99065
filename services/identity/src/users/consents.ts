/**
 * Consent history in D1 `oauth_client_consents`: one row per (user, client)
 * holding the union of every scope the user has granted that client.
 */
import { tryD1, Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { auditConsentGranted } from "../identity_audit.ts"

const splitScope = (scope: string): string[] => scope.split(" ").filter((s) => s !== "")

const readScope = (db: D1Database, userId: string, clientId: string) =>
  tryD1(serviceName, "oauth_client_consents.get", () =>
    db.prepare("SELECT scope FROM oauth_client_consents WHERE user_id = ? AND client_id = ?")
      .bind(userId, clientId).first<{ scope: string }>()).pipe(Effect.map((row) => (row === null ? null : row.scope)))

/** Scopes the user has granted the client so far (empty when none). */
export const getConsent = Effect.fnUntraced(function*(input: { readonly userId: string; readonly clientId: string }) {
  const { db } = yield* IdentityBindings
  const scope = yield* readScope(db, input.userId, input.clientId)
  return { scopes: scope === null ? [] : splitScope(scope) }
})

/**
 * How often a merge is retried when another grant for the same pair commits in
 * between. Each lost race means someone else's write landed, so n concurrent
 * grants need at most n attempts; one user's consents are never that busy.
 */
const MAX_MERGE_ATTEMPTS = 32

/**
 * Adds `scopes` to the user's consent for the client. The merge is a
 * compare-and-set on the previous scope string, so two concurrent grants both
 * land instead of one overwriting the other, and a replay by the D1 retry
 * policy is harmless (merging the same scopes again changes nothing).
 * Audited as `consent.granted` with the scopes of this call.
 */
export const grantConsent = Effect.fnUntraced(function*(input: {
  readonly userId: string
  readonly clientId: string
  readonly scopes: ReadonlyArray<string>
}) {
  const { db } = yield* IdentityBindings
  for (let attempt = 0; attempt < MAX_MERGE_ATTEMPTS; attempt++) {
    const previous = yield* readScope(db, input.userId, input.clientId)
    const merged = [...new Set([...splitScope(previous ?? ""), ...input.scopes.flatMap(splitScope)])].join(" ")
    const now = yield* Clock.currentTimeMillis
    const result = yield* tryD1(serviceName, "oauth_client_consents.merge", () =>
      db.prepare(
        `INSERT INTO oauth_client_consents (user_id, client_id, scope, granted_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at
         WHERE oauth_client_consents.scope = ?5`
      ).bind(input.userId, input.clientId, merged, now, previous ?? "").run())
    if (result.meta.changes > 0) {
      yield* auditConsentGranted(input)
      return {}
    }
  }
  return yield* new Unavailable({ service: serviceName, reason: "consent merge kept conflicting" })
})
