/**
 * The refresh-token family as stored by RefreshTokenRotator, and the pure
 * rules of one rotation (kept apart from SQL so they read as the spec does).
 */
import { timingSafeEqual } from "@authrim/platform"
import { Schema } from "effect"
import { refreshPreviousTokensKept } from "./token_lifetimes.ts"

/** What a family grants; copied into every token issued from it. */
export interface FamilySnapshot {
  readonly familyId: string
  readonly clientId: string
  readonly userId: string
  /** Space-separated scope originally granted; refreshes may narrow per request, never widen. */
  readonly scope: string
  readonly authTime: number
  readonly sid: string | null
  readonly amr: ReadonlyArray<string>
  readonly acr: string | null
  readonly createdAt: number
  readonly lastRotation: number
  readonly expiresAt: number
  /** Issue 14: the grant's resolved `claims` request, JSON (`RequestedClaims`); null: none. Refreshed tokens carry it again. */
  readonly requestedClaimsJson: string | null
}

/** A family row as SQLite returns it. */
export type FamilyRow = {
  id: string; client_id: string; user_id: string; scope: string; auth_time: number; sid: string | null
  amr_json: string; acr: string | null; current_hash: string; previous_hashes_json: string
  rotation_count: number; created_at: number; last_rotation: number; expires_at: number; revoked: number
  revoked_reason: string | null
  /** RFC 9449 §5 binding of a public client's family; null when not bound. */
  dpop_jkt: string | null
  /** Access tokens issued from the family, JSON (family_access_list.ts). */
  access_json: string
  /** When the session `sid` expires; NULL: unknown (rows older than issue 9) or no session. */
  sid_expires_at?: number | null
  /** Issue 14: rotations answered again within the reuse grace window (0 on rows older than it). */
  grace_replays?: number
  /** Issue 14: the resolved `claims` request, JSON; NULL: none (and rows older than issue 14). */
  requested_claims_json?: string | null
  /** Issue 14: the RFC 8707 resources granted, JSON array; NULL: none (and rows older than issue 14). */
  resources_json?: string | null
}

const StringArrayJson = Schema.fromJsonString(Schema.Array(Schema.String))
/** Decodes a JSON array of strings stored by this service. */
export const decodeStringArray = Schema.decodeUnknownSync(StringArrayJson)
/** Encodes a string array for storage. */
export const encodeStringArray = (values: ReadonlyArray<string>): string => JSON.stringify(values)

/** The snapshot of a row. */
export const snapshotOf = (row: FamilyRow): FamilySnapshot => ({
  familyId: row.id, clientId: row.client_id, userId: row.user_id, scope: row.scope, authTime: row.auth_time,
  sid: row.sid, amr: decodeStringArray(row.amr_json), acr: row.acr, createdAt: row.created_at,
  lastRotation: row.last_rotation, expiresAt: row.expires_at, requestedClaimsJson: row.requested_claims_json ?? null
})

/** Which of the family's tokens a presented hash is: the live one, a rotated-out one, or none. */
export const classifyPresented = (row: FamilyRow, presentedHash: string): "current" | "previous" | "unknown" => {
  // A tombstone or detach placeholder (no token yet, `current_hash = ''`) matches nothing, whatever is presented.
  if (row.current_hash === "") return "unknown"
  if (timingSafeEqual(row.current_hash, presentedHash)) return "current"
  const previous = decodeStringArray(row.previous_hashes_json)
  // Every entry is compared, so the time does not reveal which one matched.
  return previous.reduce((hit, hash) => timingSafeEqual(hash, presentedHash) || hit, false) ? "previous" : "unknown"
}

/** Previous hashes after rotating out `current`: newest first, at most 5 (DESIGN §2). */
export const previousAfterRotation = (row: FamilyRow): ReadonlyArray<string> =>
  [row.current_hash, ...decodeStringArray(row.previous_hashes_json)].slice(0, refreshPreviousTokensKept)

/** RFC 6749 §6: the requested scope must not include any scope not originally granted. */
export const isScopeSubset = (requested: ReadonlyArray<string>, granted: string): boolean => {
  const grantedSet = new Set(granted.split(" ").filter((s) => s.length > 0))
  return requested.every((s) => grantedSet.has(s))
}

/**
 * Issue 14: what a rotated-out token presented again is. `replay`: it is the
 * token the LAST rotation rotated out, that rotation is less than `graceMs`
 * old, and its successor (`current_hash`) is still unused and is exactly the
 * one the caller recomputed (`successorHash`) — the rotation is answered
 * again. Anything else is `reuse` and revokes the family: an older token, a
 * window passed or off (`graceMs` 0), a successor already rotated, or a
 * successor the caller cannot reproduce (e.g. a rotation made before the
 * window existed, with a random successor).
 */
export const classifyPrevious = (
  row: FamilyRow,
  input: { readonly presentedHash: string; readonly successorHash: string; readonly graceMs: number; readonly now: number }
): "replay" | "reuse" => {
  if (input.graceMs <= 0 || input.now - row.last_rotation >= input.graceMs) return "reuse"
  const lastRotatedOut = decodeStringArray(row.previous_hashes_json)[0]
  if (lastRotatedOut === undefined || !timingSafeEqual(lastRotatedOut, input.presentedHash)) return "reuse"
  return timingSafeEqual(row.current_hash, input.successorHash) ? "replay" : "reuse"
}
