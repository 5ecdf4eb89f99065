/**
 * RefreshTokenRotator Durable Object: refresh-token families of one client
 * shard (`rt:<clientId>:<k>`). Only token hashes are stored. Every method that
 * decides is one synchronous SQL step, so rotations of one family never
 * interleave: of N concurrent refreshes with the same token one rotates and
 * the rest present a now-previous token. Within the reuse grace window
 * (issue 14, refresh_grace.ts) they replay that rotation — the same successor,
 * each a fresh access token recorded in the family; outside it, or once the
 * successor was used, a previous token is reuse and revokes the family.
 */
import { armExpiryAlarm, rearmExpiryAlarm } from "@authrim/platform"
import { narrowedResources } from "@authrim/contracts"
import type { ServiceEnv } from "./env.ts"
import { accessListWith, liveAccess, migrateFamilyAccessTable } from "./family_access_list.ts"
import {
  classifyPresented, classifyPrevious, decodeStringArray, encodeStringArray, isScopeSubset, previousAfterRotation, snapshotOf,
  type FamilyRow, type FamilySnapshot
} from "./refresh_family.ts"
import { familyPurgeSpacingMs, refreshFamilyTtlMs } from "./token_lifetimes.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { tokensBindingMeters } from "./env.ts"

/** An access token issued from a family; remembered so revoking the family can revoke it too. */
export interface IssuedAccess {
  readonly jti: string
  readonly expiresAt: number
}

/** A new family, created when a code redemption issues its first refresh token. */
export interface CreateFamilyInput {
  readonly familyId: string
  readonly tokenHash: string
  readonly clientId: string
  readonly userId: string
  readonly scope: string
  readonly authTime: number
  readonly sid: string | null
  readonly amr: ReadonlyArray<string>
  readonly acr: string | null
  readonly now: number
  readonly access: IssuedAccess
  /** RFC 9449 §5: the DPoP key this family is bound to (public clients); absent: not bound. */
  readonly dpopJkt?: string | undefined
  /** An online family ends with its session: expires_at is capped here (the session's expiresAt). Absent: 30 days. */
  readonly notAfter?: number | undefined
  /** When the session `sid` expires; after it, refreshed tokens omit `sid` (an offline family outlives it). */
  readonly sidExpiresAt?: number | undefined
  /** Issue 14: the grant's resolved `claims` request, JSON (`RequestedClaims`); absent: none. */
  readonly requestedClaimsJson?: string | undefined
  /** Issue 14: the RFC 8707 resources granted, JSON array; absent: none. */
  readonly resourcesJson?: string | undefined
}

/** A session ended: the offline family stops naming it. Detaching a family not created yet leaves a placeholder. */
export interface DetachSessionInput {
  readonly familyId: string
  readonly clientId: string
  readonly userId: string
  readonly sid: string
  readonly now: number
}

/** A refresh attempt; `requestedScope` null keeps the family's scope. */
export interface RotateInput {
  readonly familyId: string
  readonly presentedHash: string
  readonly newHash: string
  readonly clientId: string
  readonly requestedScope: ReadonlyArray<string> | null
  readonly now: number
  readonly access: IssuedAccess
  /** Thumbprint of the request's verified DPoP proof key, if any; a bound family demands its own key. */
  readonly dpopJkt?: string | undefined
  /**
   * Issue 14: the reuse grace window in ms (absent or 0: off). Within it the token the last rotation
   * rotated out replays that rotation when `newHash` is its successor's hash (refresh_family.ts `classifyPrevious`).
   */
  readonly graceMs?: number | undefined
  /**
   * Issue 14 (FAPI 2.0 Security Profile §5.3.2.1: no refresh token rotation): the current token stays
   * current — `newHash` is ignored, nothing is rotated out, the new access token joins the family's list.
   * A previous token (one rotated out before the client switched profile) is still reuse.
   */
  readonly keepToken?: boolean | undefined
  /**
   * Issue 14: the RFC 8707 resources this refresh names (absent or empty: all the family's). One outside the
   * family's is refused (`invalid_target`) before anything rotates, replays or is revoked.
   */
  readonly requestedResources?: ReadonlyArray<string> | undefined
}

/**
 * Outcome of `rotate`. `replayed`: the presented token is the one the last rotation rotated out, within the
 * grace window — the caller answers the same successor (`newHash` is its hash) with the new access token.
 * `kept`: `keepToken` was asked — the caller answers the presented token itself with the new access token.
 * `reused` carries the access tokens the caller must put on the denylist.
 */
export type RotateOutcome =
  | { readonly _tag: "rotated"; readonly family: FamilySnapshot; readonly scope: string; readonly resources: ReadonlyArray<string> }
  | { readonly _tag: "replayed"; readonly family: FamilySnapshot; readonly scope: string; readonly resources: ReadonlyArray<string> }
  | { readonly _tag: "kept"; readonly family: FamilySnapshot; readonly scope: string; readonly resources: ReadonlyArray<string> }
  | { readonly _tag: "reused"; readonly revokedAccess: ReadonlyArray<IssuedAccess> }
  | { readonly _tag: "rejected"; readonly code: "invalid_grant" | "invalid_scope" | "invalid_target"; readonly reason: string }

/** A revocation request. `presentedHash` null revokes by family id (code replay); `tombstone` then blocks a family not created yet. */
export interface RevokeFamilyInput {
  readonly familyId: string
  readonly clientId: string
  readonly presentedHash: string | null
  readonly reason: string
  readonly now: number
  readonly tombstone: boolean
}

export class RefreshTokenRotator extends MeteredDurableObject<ServiceEnv> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, tokensBindingMeters)
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS refresh_families (
      id TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL, scope TEXT NOT NULL,
      auth_time INTEGER NOT NULL, sid TEXT, amr_json TEXT NOT NULL, acr TEXT,
      current_hash TEXT NOT NULL, previous_hashes_json TEXT NOT NULL, rotation_count INTEGER NOT NULL,
      created_at INTEGER NOT NULL, last_rotation INTEGER NOT NULL, expires_at INTEGER NOT NULL,
      revoked INTEGER NOT NULL DEFAULT 0, revoked_reason TEXT, revoked_at INTEGER,
      dpop_jkt TEXT, access_json TEXT NOT NULL DEFAULT '[]'
    ) WITHOUT ROWID`)
    // Issue 10: no index on expires_at — its entry would be a second billed row per new family; the daily purge scans.
    this.sql.exec("DROP INDEX IF EXISTS refresh_families_expires_at")
    addMissingColumns(this.sql)
    migrateFamilyAccessTable(this.sql)
  }

  /**
   * Creates a family. If a code replay or a "revoke all" already revoked it
   * (tombstone), the row is left revoked and `revoked: true` says the new
   * token is dead on arrival. A placeholder left by `detachSession` (the
   * family's session ended before it was created) is replaced by the family,
   * without the session id.
   */
  async create(input: CreateFamilyInput): Promise<{ readonly revoked: boolean }> {
    const expiresAt = Math.min(input.now + refreshFamilyTtlMs, input.notAfter ?? Number.MAX_SAFE_INTEGER)
    const written = this.sql.exec(
      `INSERT INTO refresh_families (id, client_id, user_id, scope, auth_time, sid, amr_json, acr, current_hash,
        previous_hashes_json, rotation_count, created_at, last_rotation, expires_at, dpop_jkt, access_json, sid_expires_at,
        requested_claims_json, resources_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', 0, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id, user_id = excluded.user_id, scope = excluded.scope,
         auth_time = excluded.auth_time, sid = NULL, amr_json = excluded.amr_json, acr = excluded.acr,
         current_hash = excluded.current_hash, created_at = excluded.created_at, last_rotation = excluded.last_rotation,
         expires_at = excluded.expires_at, dpop_jkt = excluded.dpop_jkt, access_json = excluded.access_json, sid_expires_at = NULL,
         requested_claims_json = excluded.requested_claims_json, resources_json = excluded.resources_json
       WHERE refresh_families.current_hash = '' AND refresh_families.revoked = 0`,
      input.familyId, input.clientId, input.userId, input.scope, input.authTime, input.sid,
      encodeStringArray(input.amr), input.acr, input.tokenHash, input.now, input.now, expiresAt, input.dpopJkt ?? null,
      accessListWith(null, input.access, input.now), input.sidExpiresAt ?? null, input.requestedClaimsJson ?? null,
      input.resourcesJson ?? null
    ).rowsWritten > 0
    // A tombstoned family (code replay, revoke all) stays revoked: the caller refuses the grant.
    await armExpiryAlarm(this.ctx.storage, expiresAt)
    return { revoked: !written }
  }

  /**
   * The family's session ended but the family (offline) lives on: it stops
   * carrying that `sid`. A family not created yet gets an unusable placeholder
   * (no token hash) that `create` fills in without the sid.
   */
  async detachSession(input: DetachSessionInput): Promise<void> {
    const row = this.row(input.familyId)
    if (row === undefined) {
      this.sql.exec(
        `INSERT INTO refresh_families (id, client_id, user_id, scope, auth_time, sid, amr_json, acr, current_hash,
          previous_hashes_json, rotation_count, created_at, last_rotation, expires_at)
         VALUES (?, ?, ?, '', 0, NULL, '[]', NULL, '', '[]', 0, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        input.familyId, input.clientId, input.userId, input.now, input.now, input.now + refreshFamilyTtlMs
      )
      await armExpiryAlarm(this.ctx.storage, input.now + refreshFamilyTtlMs)
      return
    }
    if (row.client_id !== input.clientId) return
    this.sql.exec("UPDATE refresh_families SET sid = NULL, sid_expires_at = NULL WHERE id = ? AND sid = ?", input.familyId, input.sid)
  }

  /** One refresh: verify, then rotate or revoke, in one synchronous step. */
  rotate(input: RotateInput): RotateOutcome {
    const row = this.row(input.familyId)
    if (row === undefined || row.client_id !== input.clientId) return rejected("invalid_grant", "unknown refresh token")
    if (row.revoked === 1) return rejected("invalid_grant", "refresh token revoked")
    if (row.expires_at <= input.now) return rejected("invalid_grant", "refresh token expired")
    const presented = classifyPresented(row, input.presentedHash)
    const replay = presented === "previous" &&
      classifyPrevious(row, { presentedHash: input.presentedHash, successorHash: input.newHash, graceMs: input.graceMs ?? 0, now: input.now }) === "replay"
    if (presented === "previous" && !replay) {
      return { _tag: "reused", revokedAccess: this.revokeRow(row.id, "refresh_token_reuse", input.now) }
    }
    // An unknown secret under a known family id proves nothing about the holder: refuse without revoking.
    if (presented === "unknown") return rejected("invalid_grant", "unknown refresh token")
    // A replay obeys the rules of the request it repeats: these refusals neither rotate, replay nor revoke.
    // RFC 9449 §5: a bound family is refreshed only with a proof of its key.
    if (row.dpop_jkt !== null && row.dpop_jkt !== input.dpopJkt) {
      return rejected("invalid_grant", "refresh token is bound to a DPoP key; send a DPoP proof made with that key")
    }
    if (input.requestedScope !== null && !isScopeSubset(input.requestedScope, row.scope)) {
      return rejected("invalid_scope", "requested scope exceeds the scope originally granted")
    }
    // RFC 8707 §2.2: a refresh may name a subset of the family's resources, never another one.
    const resources = narrowedResources(familyResources(row), input.requestedResources ?? [])
    if (resources === null) return rejected("invalid_target", "a requested resource was not granted to this refresh token")
    const scope = input.requestedScope === null ? row.scope : input.requestedScope.join(" ")
    if (replay) {
      // The same successor stays current (no rotation); the replay's access token joins the family's list.
      this.sql.exec(
        "UPDATE refresh_families SET access_json = ?, grace_replays = grace_replays + 1 WHERE id = ?",
        accessListWith(row.access_json, input.access, input.now), row.id
      )
      return { _tag: "replayed", family: { ...snapshotOf(row), sid: liveSid(row, input.now) }, scope, resources }
    }
    if (input.keepToken === true && !replay) {
      // No rotation: the presented (current) token stays current; only the new access token is recorded.
      this.sql.exec("UPDATE refresh_families SET access_json = ? WHERE id = ?", accessListWith(row.access_json, input.access, input.now), row.id)
      return { _tag: "kept", family: { ...snapshotOf(row), sid: liveSid(row, input.now) }, scope, resources }
    }
    // One row written: the rotation and the new access token in the same UPDATE, no indexed column touched.
    this.sql.exec(
      `UPDATE refresh_families SET current_hash = ?, previous_hashes_json = ?, rotation_count = rotation_count + 1,
       last_rotation = ?, access_json = ? WHERE id = ?`,
      input.newHash, encodeStringArray(previousAfterRotation(row)), input.now, accessListWith(row.access_json, input.access, input.now), row.id
    )
    return { _tag: "rotated", family: { ...snapshotOf(row), sid: liveSid(row, input.now), lastRotation: input.now }, scope, resources }
  }

  /** The family of a live (current, unrevoked, unexpired) token of `clientId`, else null. For introspection. */
  inspect(input: { readonly familyId: string; readonly presentedHash: string; readonly clientId: string; readonly now: number }): FamilySnapshot | null {
    const row = this.row(input.familyId)
    if (row === undefined || row.client_id !== input.clientId || row.revoked === 1 || row.expires_at <= input.now) return null
    return classifyPresented(row, input.presentedHash) === "current" ? snapshotOf(row) : null
  }

  /**
   * Revokes a family of `clientId` and returns its unexpired access tokens.
   * Another client's family, or a token that was never one of the family's,
   * changes nothing (RFC 7009 §2.2: still a success for the caller).
   */
  async revoke(input: RevokeFamilyInput): Promise<ReadonlyArray<IssuedAccess>> {
    const row = this.row(input.familyId)
    if (row === undefined) {
      if (input.tombstone) {
        this.insertTombstone(input)
        await armExpiryAlarm(this.ctx.storage, input.now + refreshFamilyTtlMs)
      }
      return []
    }
    if (row.client_id !== input.clientId) return []
    if (input.presentedHash !== null && classifyPresented(row, input.presentedHash) === "unknown") return []
    return this.revokeRow(row.id, input.reason, input.now)
  }

  /**
   * Revokes every live family of `clientId` in this shard (the client was
   * deleted; issue 12). Their access tokens are covered by the client's row in
   * every TokenRevocationStore shard (revoke_client_tokens.ts), so none are
   * returned. One UPDATE; the count of families revoked.
   */
  revokeClient(input: { readonly clientId: string; readonly reason: string; readonly now: number }): number {
    return this.sql.exec(
      "UPDATE refresh_families SET revoked = 1, revoked_reason = ?, revoked_at = ? WHERE client_id = ? AND revoked = 0 RETURNING id",
      input.reason, input.now, input.clientId
    ).toArray().length
  }

  /** Rotation count and revocation state, for tests and operators (no secrets). */
  describe(familyId: string): { readonly rotationCount: number; readonly previousCount: number; readonly revoked: boolean } | null {
    const row = this.row(familyId)
    if (row === undefined) return null
    return { rotationCount: row.rotation_count, previousCount: decodeStringArray(row.previous_hashes_json).length, revoked: row.revoked === 1 }
  }

  /** How many rotations of the family were answered again within the grace window (issue 14), for tests and operators. */
  graceReplays(familyId: string): number | null {
    return this.row(familyId)?.grace_replays ?? null
  }

  /** Lifetime facts of a family (session binding, expiry, revocation reason), for tests and operators (no secrets). */
  lifetime(familyId: string): { readonly sid: string | null; readonly expiresAt: number; readonly revokedReason: string | null } | null {
    const row = this.row(familyId)
    return row === undefined ? null : { sid: row.sid, expiresAt: row.expires_at, revokedReason: row.revoked_reason }
  }

  /**
   * Purges expired families (their tokens can no longer be used); expired
   * access-token entries leave with each write. The purge scans the shard (no
   * index, see the constructor), so it runs at most once a day; an expired
   * family left a little longer is refused by every method anyway.
   */
  override async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec("DELETE FROM refresh_families WHERE expires_at <= ?", now)
    const next = this.sql.exec<{ next: number | null }>("SELECT MIN(expires_at) AS next FROM refresh_families").one().next
    await rearmExpiryAlarm(this.ctx.storage, next === null ? null : Math.max(next, now + familyPurgeSpacingMs), now)
  }

  private row(familyId: string): FamilyRow | undefined {
    return this.sql.exec<FamilyRow>("SELECT * FROM refresh_families WHERE id = ?", familyId).toArray()[0]
  }

  private revokeRow(familyId: string, reason: string, now: number): ReadonlyArray<IssuedAccess> {
    const revoked = this.sql.exec<{ access_json: string }>(
      `UPDATE refresh_families SET revoked = 1, revoked_reason = COALESCE(revoked_reason, ?), revoked_at = COALESCE(revoked_at, ?)
       WHERE id = ? RETURNING access_json`,
      reason, now, familyId
    ).toArray()[0]
    return liveAccess(revoked?.access_json ?? null, now)
  }

  /** A revoked placeholder so a family the replayed code is about to create is born revoked. */
  private insertTombstone(input: RevokeFamilyInput): void {
    this.sql.exec(
      `INSERT INTO refresh_families (id, client_id, user_id, scope, auth_time, sid, amr_json, acr, current_hash,
        previous_hashes_json, rotation_count, created_at, last_rotation, expires_at, revoked, revoked_reason, revoked_at)
       VALUES (?, ?, '', '', 0, NULL, '[]', NULL, '', '[]', 0, ?, ?, ?, 1, ?, ?) ON CONFLICT (id) DO NOTHING`,
      input.familyId, input.clientId, input.now, input.now, input.now + refreshFamilyTtlMs, input.reason, input.now
    )
  }
}

/** The family's `sid` while its session has not expired; null after (an offline family outlives its session). */
const liveSid = (row: FamilyRow, now: number): string | null =>
  row.sid_expires_at !== null && row.sid_expires_at !== undefined && row.sid_expires_at <= now ? null : row.sid

/** The family's granted RFC 8707 resources (none on rows without the column's value). */
const familyResources = (row: FamilyRow): ReadonlyArray<string> =>
  row.resources_json === null || row.resources_json === undefined ? [] : decodeStringArray(row.resources_json)

const rejected = (code: "invalid_grant" | "invalid_scope" | "invalid_target", reason: string): RotateOutcome => ({ _tag: "rejected", code, reason })

/**
 * Objects created by earlier versions lack later columns: `dpop_jkt` (NULL =
 * not bound), `access_json` (the family's access tokens, see
 * family_access_list.ts), `sid_expires_at` and `grace_replays`. Added once.
 */
const addMissingColumns = (sql: SqlStorage): void => {
  const columns = new Set(sql.exec<{ name: string }>("PRAGMA table_info(refresh_families)").toArray().map((c) => c.name))
  if (!columns.has("dpop_jkt")) sql.exec("ALTER TABLE refresh_families ADD COLUMN dpop_jkt TEXT")
  if (!columns.has("access_json")) sql.exec("ALTER TABLE refresh_families ADD COLUMN access_json TEXT NOT NULL DEFAULT '[]'")
  // Issue 9 §2: when the family's session expires (NULL: unknown); refreshed tokens carry `sid` only before it.
  if (!columns.has("sid_expires_at")) sql.exec("ALTER TABLE refresh_families ADD COLUMN sid_expires_at INTEGER")
  // Issue 14: rotations answered again within the reuse grace window (refresh_grace.ts); a count, no secret.
  if (!columns.has("grace_replays")) sql.exec("ALTER TABLE refresh_families ADD COLUMN grace_replays INTEGER NOT NULL DEFAULT 0")
  // Issue 14: the grant's resolved OIDC Core §5.5 claims request (NULL: none).
  if (!columns.has("requested_claims_json")) sql.exec("ALTER TABLE refresh_families ADD COLUMN requested_claims_json TEXT")
  // Issue 14: the RFC 8707 resources granted, a JSON array (NULL: none).
  if (!columns.has("resources_json")) sql.exec("ALTER TABLE refresh_families ADD COLUMN resources_json TEXT")
}
