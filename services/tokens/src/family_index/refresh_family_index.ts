/**
 * RefreshFamilyIndex Durable Object: user → refresh families (issue 9 §2), one
 * of 32 shards named by a stable hash of the user id (`uf<NN>`, shard_routing.ts),
 * so "revoke every family of this user" is one lookup in one object — no table
 * scan, no singleton. Each row names the family's client, so the family's
 * RefreshTokenRotator shard is derivable (`rt:<clientId>:<k>`).
 *
 * A family is registered here BEFORE it is created in its rotator, and every
 * decision is one synchronous SQL step, so a registration and a revocation of
 * the same user never interleave. A revocation leaves a *cutoff* behind:
 * - per user (`sid` = ''): a grant issued at or before `cut_at` — or whose
 *   authentication is that old, unless it comes from the one session the caller
 *   kept — is refused afterwards (the family would outlive "revoke all");
 * - per session: an online family of that session is refused; an offline one
 *   is registered without the session id;
 * - per (user, client) (`client:<id>`, issue 12 consent revocation): a grant of
 *   that client issued at or before `cut_at` is refused.
 * Cutoffs are remembered for `cutoffMemoryMs`, longer than any grant that can
 * still become a family (code 60 s, device code 15 min).
 */
import { armExpiryAlarm, rearmExpiryAlarm } from "@authrim/platform"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { tokensBindingMeters, type ServiceEnv } from "../env.ts"
import { familyPurgeSpacingMs } from "../token_lifetimes.ts"

/** How long a cutoff is kept: longer than any grant not yet redeemed can live (device code: 15 min). */
export const cutoffMemoryMs = 3_600_000

/**
 * Purges of one index shard are at least a day apart ({@link familyPurgeSpacingMs}).
 * The tables have no secondary index (a registration writes ONE row, issue 10),
 * so a purge scans the shard. Purging late is harmless: an expired family is
 * dead in its rotator, and a cutoff remembered longer only refuses grants that
 * are long expired anyway.
 */
export const indexPurgeSpacingMs = familyPurgeSpacingMs

/** A family as listed for revocation. */
export interface IndexedFamily {
  readonly familyId: string
  readonly clientId: string
  readonly offline: boolean
}

/** A family about to be created; `grantedAt` = when its code was made or its device code approved. */
export interface RegisterFamilyInput {
  readonly userId: string
  readonly familyId: string
  readonly clientId: string
  readonly sid: string | null
  readonly offline: boolean
  readonly expiresAt: number
  readonly grantedAt: number
  readonly authTime: number
  readonly now: number
}

/** Outcome of `register`: the sid the family may carry (null when its session already ended), or refused. */
export type RegisterOutcome =
  | { readonly _tag: "registered"; readonly sid: string | null }
  | { readonly _tag: "refused"; readonly reason: string }

type FamilyIndexRow = { family_id: string; client_id: string; offline: number }
type CutoffRow = { cut_at: number; kept_sid: string | null }

/** The `sid` key of the per-user cutoff ("every family"). */
const EVERY_SESSION = ""

/**
 * The `sid` key of a per-(user, client) cutoff (issue 12: an admin revoked the
 * user's consent for the client). Session ids (`sNN_…`) never contain ":", so
 * the two kinds of key cannot meet.
 */
export const clientCutoffKey = (clientId: string): string => `client:${clientId}`

export class RefreshFamilyIndex extends MeteredDurableObject<ServiceEnv> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, tokensBindingMeters)
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS user_families (
      user_id TEXT NOT NULL, family_id TEXT NOT NULL, client_id TEXT NOT NULL, sid TEXT,
      offline INTEGER NOT NULL, expires_at INTEGER NOT NULL,
      PRIMARY KEY (user_id, family_id)
    ) WITHOUT ROWID`)
    // Issue 10: no index on expires_at — each entry would be a second billed row per registration; the daily purge scans.
    this.sql.exec("DROP INDEX IF EXISTS user_families_expires_at")
    this.sql.exec(`CREATE TABLE IF NOT EXISTS family_cutoffs (
      user_id TEXT NOT NULL, sid TEXT NOT NULL, cut_at INTEGER NOT NULL, kept_sid TEXT, forget_at INTEGER NOT NULL,
      PRIMARY KEY (user_id, sid)
    ) WITHOUT ROWID`)
    this.sql.exec("DROP INDEX IF EXISTS family_cutoffs_forget_at")
  }

  /** Registers a family before its creation; refused when a revocation already covers its grant. */
  async register(input: RegisterFamilyInput): Promise<RegisterOutcome> {
    const everything = this.cutoff(input.userId, EVERY_SESSION)
    if (everything !== undefined) {
      if (input.grantedAt <= everything.cut_at) {
        return { _tag: "refused", reason: "every refresh token of the user was revoked after this grant was issued" }
      }
      if (input.authTime <= everything.cut_at && input.sid !== everything.kept_sid) {
        return { _tag: "refused", reason: "every session of the user was ended after this authentication" }
      }
    }
    const ofClient = this.cutoff(input.userId, clientCutoffKey(input.clientId))
    if (ofClient !== undefined && input.grantedAt <= ofClient.cut_at) {
      return { _tag: "refused", reason: "the user's consent for this client was revoked after this grant was issued" }
    }
    let sid = input.sid
    if (sid !== null && this.cutoff(input.userId, sid) !== undefined) {
      if (!input.offline) return { _tag: "refused", reason: "the session this refresh token would be bound to has ended" }
      sid = null
    }
    this.sql.exec(
      `INSERT INTO user_families (user_id, family_id, client_id, sid, offline, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, family_id) DO NOTHING`,
      input.userId, input.familyId, input.clientId, sid, input.offline ? 1 : 0, input.expiresAt
    )
    await armExpiryAlarm(this.ctx.storage, input.expiresAt)
    return { _tag: "registered", sid }
  }

  /**
   * "Revoke all", first step: in ONE step, records the cutoff (so a later
   * registration of an older grant is refused) and lists every family to revoke.
   * `keepSid`: the session the caller leaves signed in (password change).
   */
  async beginRevokeAll(input: { readonly userId: string; readonly keepSid: string | null; readonly now: number }): Promise<ReadonlyArray<IndexedFamily>> {
    this.recordCutoff(input.userId, EVERY_SESSION, input.now, input.keepSid)
    await armExpiryAlarm(this.ctx.storage, input.now + cutoffMemoryMs)
    return this.families("SELECT family_id, client_id, offline FROM user_families WHERE user_id = ?", input.userId)
  }

  /**
   * An admin revoked the user's consent for `clientId`, first step: records the
   * client cutoff (a grant of that client issued before now is refused later)
   * and lists the user's families of that client, in one step.
   */
  async beginRevokeClient(input: { readonly userId: string; readonly clientId: string; readonly now: number }): Promise<ReadonlyArray<IndexedFamily>> {
    this.recordCutoff(input.userId, clientCutoffKey(input.clientId), input.now, null)
    await armExpiryAlarm(this.ctx.storage, input.now + cutoffMemoryMs)
    return this.families("SELECT family_id, client_id, offline FROM user_families WHERE user_id = ? AND client_id = ?", input.userId, input.clientId)
  }

  /** A session ended, first step: records it (later registrations see it) and lists its families. */
  async beginRevokeSession(input: { readonly userId: string; readonly sid: string; readonly now: number }): Promise<ReadonlyArray<IndexedFamily>> {
    this.recordCutoff(input.userId, input.sid, input.now, null)
    await armExpiryAlarm(this.ctx.storage, input.now + cutoffMemoryMs)
    return this.families("SELECT family_id, client_id, offline FROM user_families WHERE user_id = ? AND sid = ?", input.userId, input.sid)
  }

  /**
   * Last step, once the rotators are done: revoked families leave the index,
   * detached (offline) ones lose the session id. Run only after success, so a
   * failed revocation is found again by a retry.
   */
  settle(input: { readonly userId: string; readonly revokedFamilyIds: ReadonlyArray<string>; readonly detachedFamilyIds: ReadonlyArray<string> }): void {
    for (const familyId of input.revokedFamilyIds) {
      this.sql.exec("DELETE FROM user_families WHERE user_id = ? AND family_id = ?", input.userId, familyId)
    }
    for (const familyId of input.detachedFamilyIds) {
      this.sql.exec("UPDATE user_families SET sid = NULL WHERE user_id = ? AND family_id = ?", input.userId, familyId)
    }
  }

  /** The user's indexed families with their session ids, for tests and operators. */
  describe(userId: string): ReadonlyArray<IndexedFamily & { readonly sid: string | null; readonly expiresAt: number }> {
    return this.sql.exec<FamilyIndexRow & { sid: string | null; expires_at: number }>(
      "SELECT family_id, client_id, offline, sid, expires_at FROM user_families WHERE user_id = ? ORDER BY family_id", userId
    ).toArray().map((r) => ({ familyId: r.family_id, clientId: r.client_id, offline: r.offline === 1, sid: r.sid, expiresAt: r.expires_at }))
  }

  /** Purges expired families (their rotator rows expire too) and forgotten cutoffs; next purge a day later at the earliest. */
  override async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec("DELETE FROM user_families WHERE expires_at <= ?", now)
    this.sql.exec("DELETE FROM family_cutoffs WHERE forget_at <= ?", now)
    const next = this.sql.exec<{ next: number | null }>(
      "SELECT MIN(at) AS next FROM (SELECT MIN(expires_at) AS at FROM user_families UNION ALL SELECT MIN(forget_at) FROM family_cutoffs)"
    ).one().next
    await rearmExpiryAlarm(this.ctx.storage, next === null ? null : Math.max(next, now + indexPurgeSpacingMs), now)
  }

  private cutoff(userId: string, sid: string): CutoffRow | undefined {
    return this.sql.exec<CutoffRow>("SELECT cut_at, kept_sid FROM family_cutoffs WHERE user_id = ? AND sid = ?", userId, sid).toArray()[0]
  }

  /** A later cutoff wins (cut_at never moves back); its kept session replaces the earlier one's. */
  private recordCutoff(userId: string, sid: string, now: number, keptSid: string | null): void {
    this.sql.exec(
      `INSERT INTO family_cutoffs (user_id, sid, cut_at, kept_sid, forget_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id, sid) DO UPDATE SET cut_at = MAX(cut_at, excluded.cut_at), kept_sid = excluded.kept_sid,
       forget_at = MAX(forget_at, excluded.forget_at)`,
      userId, sid, now, keptSid, now + cutoffMemoryMs
    )
  }

  private families(query: string, ...bindings: Array<string>): ReadonlyArray<IndexedFamily> {
    return this.sql.exec<FamilyIndexRow>(query, ...bindings).toArray()
      .map((r) => ({ familyId: r.family_id, clientId: r.client_id, offline: r.offline === 1 }))
  }
}
