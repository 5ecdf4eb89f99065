/**
 * D1 `passkeys` rows (schema in migrations/0001): one row per WebAuthn
 * credential, several per user. `public_key` is the COSE key, base64url;
 * `transports` a JSON array. Every statement goes through `tryD1` and is
 * safe to replay (keyed insert, compare-and-set update, keyed delete).
 */
import { tryD1, type Passkey } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

export interface PasskeyRow {
  credential_id: string
  user_id: string
  public_key: string
  counter: number
  transports: string | null
  name: string | null
  created_at: number
  last_used_at: number | null
}

const parseTransports = (json: string | null): ReadonlyArray<string> => {
  if (json === null) return []
  try {
    const parsed: unknown = JSON.parse(json)
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === "string") : []
  } catch {
    return []
  }
}

/** The account-page view of a row (no key material). */
export const passkeyFromRow = (row: PasskeyRow): Passkey => ({
  credentialId: row.credential_id,
  userId: row.user_id,
  name: row.name,
  transports: parseTransports(row.transports),
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at
})

/** The stored transports of a row, for `allowCredentials` / `excludeCredentials` hints. */
export const transportsOf = (row: PasskeyRow): string[] => [...parseTransports(row.transports)]

/**
 * Inserts a new credential; returns the stored row, or null when the id is
 * already registered to a different key or user. A replayed insert whose first
 * attempt committed finds its own row (same user and key) and succeeds.
 */
export const insertPasskey = Effect.fnUntraced(function*(row: PasskeyRow) {
  const { db } = yield* IdentityBindings
  const inserted = yield* tryD1(serviceName, "passkeys.insert", () =>
    db.prepare(
      `INSERT INTO passkeys (credential_id, user_id, public_key, counter, transports, name, created_at, last_used_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)
       ON CONFLICT (credential_id) DO NOTHING RETURNING *`
    ).bind(row.credential_id, row.user_id, row.public_key, row.counter, row.transports, row.name, row.created_at).first<PasskeyRow>())
  if (inserted !== null) return inserted
  const existing = yield* passkeyById(row.credential_id)
  return existing !== null && existing.user_id === row.user_id && existing.public_key === row.public_key ? existing : null
})

/** The row of a credential id, or null. */
export const passkeyById = Effect.fnUntraced(function*(credentialId: string) {
  const { db } = yield* IdentityBindings
  return yield* tryD1(serviceName, "passkeys.byId", () =>
    db.prepare("SELECT * FROM passkeys WHERE credential_id = ?").bind(credentialId).first<PasskeyRow>())
})

/** Every credential of a user, oldest first (index `passkeys_user`). */
export const passkeysOfUser = Effect.fnUntraced(function*(userId: string) {
  const { db } = yield* IdentityBindings
  const result = yield* tryD1(serviceName, "passkeys.byUser", () =>
    db.prepare("SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, credential_id").bind(userId).all<PasskeyRow>())
  return result.results
})

/**
 * Records a verified use: the new counter, if the stored one is still the one
 * the verification compared against (compare-and-set). False means another
 * sign-in with this credential moved the counter in between — the caller
 * rejects, since two assertions cannot both be the "next" one.
 */
export const recordPasskeyUse = Effect.fnUntraced(function*(credentialId: string, expectedCounter: number, newCounter: number, now: number) {
  const { db } = yield* IdentityBindings
  const result = yield* tryD1(serviceName, "passkeys.recordUse", () =>
    db.prepare("UPDATE passkeys SET counter = ?1, last_used_at = ?2 WHERE credential_id = ?3 AND counter = ?4")
      .bind(newCounter, now, credentialId, expectedCounter).run())
  return result.meta.changes > 0
})

/** Renames a user's credential; null when it is not theirs. */
export const renamePasskeyRow = Effect.fnUntraced(function*(userId: string, credentialId: string, name: string) {
  const { db } = yield* IdentityBindings
  return yield* tryD1(serviceName, "passkeys.rename", () =>
    db.prepare("UPDATE passkeys SET name = ?1 WHERE credential_id = ?2 AND user_id = ?3 RETURNING *")
      .bind(name, credentialId, userId).first<PasskeyRow>())
})

/** Deletes a user's credential; false when it is not theirs (or already gone). */
export const deletePasskeyRow = Effect.fnUntraced(function*(userId: string, credentialId: string) {
  const { db } = yield* IdentityBindings
  const result = yield* tryD1(serviceName, "passkeys.delete", () =>
    db.prepare("DELETE FROM passkeys WHERE credential_id = ?1 AND user_id = ?2").bind(credentialId, userId).run())
  return result.meta.changes > 0
})
