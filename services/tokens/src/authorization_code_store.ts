/**
 * AuthorizationCodeStore Durable Object (one of 32 shards, named inside the
 * code). Since issue 10 a code carries its grant sealed (sealed_code.ts), so
 * this object only records REDEMPTIONS: `consume` is one synchronous SQL
 * method, so under the object's input gate no two redemptions of one code
 * interleave: exactly one wins. The winner's token ids are decided by the
 * caller *before* consuming and recorded in the same step (one row, keyed by
 * SHA-256(code)), so a replay arriving while the winner is still signing can
 * already revoke what the winner is about to issue.
 *
 * `create`/`redeem` serve codes minted before issue 10 (stored here whole)
 * for as long as one can still be in flight; they can go one release later.
 */
import { armExpiryAlarm, rearmExpiryAlarm } from "@authrim/platform"
import type { ServiceEnv } from "./env.ts"
import { pkceRejection } from "./verify_pkce.ts"
import { redeemedCodeRetentionMs } from "./token_lifetimes.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { tokensBindingMeters } from "./env.ts"

/** What the edge authorised, as stored with the code. */
export interface StoredGrant {
  readonly clientId: string
  readonly redirectUri: string
  readonly userId: string
  readonly scope: string
  readonly codeChallenge: string | null
  readonly nonce: string | null
  readonly authTime: number
  readonly acr: string | null
  readonly amr: ReadonlyArray<string>
  readonly sid: string | null
  /** When the session `sid` expires (bounds an online refresh family); absent/null: unknown. */
  readonly sessionExpiresAt?: number | null | undefined
}

/** Ids of what a redemption issues, fixed at redemption time. */
export interface IssuedIds {
  readonly accessJti: string
  readonly accessExpiresAt: number
  readonly refreshFamilyId: string | null
}

/** A redemption attempt. `verifierChallenge` is BASE64URL(SHA256(code_verifier)), computed by the caller. */
export interface RedeemInput extends IssuedIds {
  readonly codeHash: string
  readonly clientId: string
  readonly redirectUri: string | null
  readonly verifierChallenge: string | null
  readonly now: number
}

/** Outcome of `redeem`; every non-`redeemed` outcome is `invalid_grant` on the wire. */
export type RedeemOutcome =
  | { readonly _tag: "redeemed"; readonly grant: StoredGrant; readonly issuedAt: number }
  | { readonly _tag: "replayed"; readonly issued: IssuedIds }
  | { readonly _tag: "rejected"; readonly reason: string }

/**
 * A redemption attempt of a sealed code. The caller has already opened the
 * seal and checked what needs no state; `rejection` is the reason it failed
 * (expired, redirect_uri, PKCE), null when it passed. A failed attempt is still
 * asked here first: if the code was already redeemed it is a replay (even when
 * expired or with a wrong verifier), and the replay rule applies.
 */
export interface ConsumeInput extends IssuedIds {
  readonly codeHash: string
  readonly clientId: string
  readonly rejection: string | null
  readonly now: number
}

/** Outcome of `consume`; every non-`consumed` outcome is `invalid_grant` on the wire. */
export type ConsumeOutcome =
  | { readonly _tag: "consumed" }
  | { readonly _tag: "replayed"; readonly issued: IssuedIds }
  | { readonly _tag: "rejected"; readonly reason: string }

type RedeemedRow = { access_jti: string; access_expires_at: number; refresh_family_id: string | null }

type CodeRow = {
  client_id: string; redirect_uri: string; user_id: string; scope: string; code_challenge: string | null
  nonce: string | null; auth_time: number; acr: string | null; amr_json: string; sid: string | null
  expires_at: number; used: number; access_jti: string | null; access_expires_at: number | null
  refresh_family_id: string | null
  created_at: number; session_expires_at?: number | null
}

export class AuthorizationCodeStore extends MeteredDurableObject<ServiceEnv> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, tokensBindingMeters)
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS authorization_codes (
      code_hash TEXT PRIMARY KEY,
      client_id TEXT NOT NULL,
      redirect_uri TEXT NOT NULL,
      user_id TEXT NOT NULL,
      scope TEXT NOT NULL,
      code_challenge TEXT,
      nonce TEXT,
      auth_time INTEGER NOT NULL,
      acr TEXT,
      amr_json TEXT NOT NULL,
      sid TEXT,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      used INTEGER NOT NULL DEFAULT 0,
      access_jti TEXT,
      access_expires_at INTEGER,
      refresh_family_id TEXT,
      purge_at INTEGER NOT NULL
    ) WITHOUT ROWID`)
    this.sql.exec("CREATE INDEX IF NOT EXISTS authorization_codes_purge_at ON authorization_codes (purge_at)")
    // Redemptions of sealed codes. No secondary index on purpose: a redemption writes ONE row (index
    // entries are billed rows too); the alarm's purge scans the table, which holds about an hour of
    // one shard's redemptions.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS redeemed_codes (
      code_hash TEXT PRIMARY KEY,
      client_id TEXT NOT NULL,
      access_jti TEXT NOT NULL,
      access_expires_at INTEGER NOT NULL,
      refresh_family_id TEXT,
      purge_at INTEGER NOT NULL
    ) WITHOUT ROWID`)
    // Issue 9 §2: the session's expiry travels with the code (online refresh families end with it).
    const columns = this.sql.exec<{ name: string }>("PRAGMA table_info(authorization_codes)").toArray().map((c) => c.name)
    if (!columns.includes("session_expires_at")) this.sql.exec("ALTER TABLE authorization_codes ADD COLUMN session_expires_at INTEGER")
  }

  /**
   * Records the redemption of a sealed code in one synchronous step: a code
   * redeemed before is a replay (reported with what it issued); otherwise a
   * failed check rejects without burning the code; otherwise this attempt wins.
   */
  async consume(input: ConsumeInput): Promise<ConsumeOutcome> {
    const row = this.sql.exec<RedeemedRow & { client_id: string }>(
      "SELECT client_id, access_jti, access_expires_at, refresh_family_id FROM redeemed_codes WHERE code_hash = ?", input.codeHash
    ).toArray()[0]
    // The sealed client id was checked by the caller; a row of another client cannot exist for this hash.
    if (row !== undefined && row.client_id === input.clientId) {
      return {
        _tag: "replayed",
        issued: { accessJti: row.access_jti, accessExpiresAt: row.access_expires_at, refreshFamilyId: row.refresh_family_id }
      }
    }
    if (row !== undefined) return { _tag: "rejected", reason: "authorization code was issued to another client" }
    if (input.rejection !== null) return { _tag: "rejected", reason: input.rejection }
    const purgeAt = Math.max(input.accessExpiresAt, input.now + redeemedCodeRetentionMs)
    this.sql.exec(
      `INSERT INTO redeemed_codes (code_hash, client_id, access_jti, access_expires_at, refresh_family_id, purge_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      input.codeHash, input.clientId, input.accessJti, input.accessExpiresAt, input.refreshFamilyId, purgeAt
    )
    await armExpiryAlarm(this.ctx.storage, purgeAt)
    return { _tag: "consumed" }
  }

  /** Stores a new code (by hash) until `expiresAt` (codes minted before issue 10 only). */
  async create(input: { readonly codeHash: string; readonly grant: StoredGrant; readonly now: number; readonly expiresAt: number }): Promise<void> {
    const g = input.grant
    this.sql.exec(
      `INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, user_id, scope, code_challenge, nonce,
        auth_time, acr, amr_json, sid, created_at, expires_at, purge_at, session_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      input.codeHash, g.clientId, g.redirectUri, g.userId, g.scope, g.codeChallenge, g.nonce,
      g.authTime, g.acr, JSON.stringify(g.amr), g.sid, input.now, input.expiresAt, input.expiresAt, g.sessionExpiresAt ?? null
    )
    await armExpiryAlarm(this.ctx.storage, input.expiresAt)
  }

  /**
   * Checks and consumes a code in one synchronous step. Order matters:
   * another client's attempt learns nothing and changes nothing; a replay by
   * the owner is reported (even after expiry) so its tokens get revoked; a
   * failed redirect/PKCE check does not burn the code.
   */
  redeem(input: RedeemInput): RedeemOutcome {
    const row = this.sql.exec<CodeRow>("SELECT * FROM authorization_codes WHERE code_hash = ?", input.codeHash).toArray()[0]
    if (row === undefined) return { _tag: "rejected", reason: "unknown or expired authorization code" }
    if (row.client_id !== input.clientId) return { _tag: "rejected", reason: "authorization code was issued to another client" }
    if (row.used === 1) {
      return {
        _tag: "replayed",
        issued: { accessJti: row.access_jti ?? "", accessExpiresAt: row.access_expires_at ?? 0, refreshFamilyId: row.refresh_family_id }
      }
    }
    if (row.expires_at <= input.now) return { _tag: "rejected", reason: "authorization code expired" }
    // RFC 6749 §4.1.3: redirect_uri was sent at authorization (OIDC requires it), so it must be sent again, identical.
    if (input.redirectUri === null || input.redirectUri !== row.redirect_uri) {
      return { _tag: "rejected", reason: "redirect_uri does not match the authorization request" }
    }
    const pkce = pkceRejection(row.code_challenge, input.verifierChallenge)
    if (pkce !== null) return { _tag: "rejected", reason: pkce }
    this.sql.exec(
      `UPDATE authorization_codes SET used = 1, access_jti = ?, access_expires_at = ?, refresh_family_id = ?, purge_at = ?
       WHERE code_hash = ?`,
      input.accessJti, input.accessExpiresAt, input.refreshFamilyId,
      Math.max(input.accessExpiresAt, input.now + redeemedCodeRetentionMs), input.codeHash
    )
    return {
      _tag: "redeemed",
      grant: {
        clientId: row.client_id, redirectUri: row.redirect_uri, userId: row.user_id, scope: row.scope,
        codeChallenge: row.code_challenge, nonce: row.nonce, authTime: row.auth_time, acr: row.acr,
        amr: parseAmr(row.amr_json), sid: row.sid, sessionExpiresAt: row.session_expires_at ?? null
      },
      issuedAt: row.created_at
    }
  }

  /** Purges redemptions (and stored pre-issue-10 codes) past their purge time: after the replay window. */
  override async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec("DELETE FROM authorization_codes WHERE purge_at <= ?", now)
    this.sql.exec("DELETE FROM redeemed_codes WHERE purge_at <= ?", now)
    const next = this.sql.exec<{ next: number | null }>(
      "SELECT MIN(at) AS next FROM (SELECT MIN(purge_at) AS at FROM authorization_codes UNION ALL SELECT MIN(purge_at) FROM redeemed_codes)"
    ).one().next
    await rearmExpiryAlarm(this.ctx.storage, next, now)
  }
}

const parseAmr = (json: string): ReadonlyArray<string> => {
  const parsed: unknown = JSON.parse(json)
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : []
}
