/**
 * DeviceCodeStore Durable Object (RFC 8628), one of 32 shards named by the
 * user code's hash (see device_code_format.ts). Stores only SHA-256 of both
 * codes. Every state change is one synchronous SQL method, so under the
 * object's input gate no two decisions or polls interleave: of concurrent
 * approvals exactly one decides, of concurrent polls after approval exactly
 * one receives the grant. `now` is always the caller's (a controllable clock).
 */
import { armExpiryAlarm, rearmExpiryAlarm } from "@authrim/platform"
import type { ServiceEnv } from "../env.ts"
import { expiredDeviceCodeRetentionMs, slowDownIncrementSeconds } from "./device_code_lifetimes.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { tokensBindingMeters } from "../env.ts"

/** Status of a device authorization. */
export type DeviceStatus = "pending" | "approved" | "denied"

/** Who approved, as the ID token will say. */
export interface DeviceApproval {
  readonly userId: string
  readonly authTime: number
  readonly acr: string | null
  readonly amr: ReadonlyArray<string>
  readonly sid: string | null
  /** When the approving session expires (bounds an online refresh family); absent/null: unknown. */
  readonly sessionExpiresAt?: number | null | undefined
}

/** A live code as the verification page sees it. */
export interface DeviceCodeView {
  readonly clientId: string
  readonly scope: string
  readonly status: DeviceStatus
}

/** Outcome of a decision. */
export type DecideOutcome = { readonly _tag: "decided" } | { readonly _tag: "unknown" } | { readonly _tag: "already_decided" }

/** Outcome of one poll; everything but `granted` is an RFC 8628 §3.5 error on the wire. */
export type PollOutcome =
  | { readonly _tag: "granted"; readonly clientId: string; readonly scope: string; readonly approval: DeviceApproval; readonly decidedAt: number }
  | { readonly _tag: "authorization_pending" }
  | { readonly _tag: "slow_down"; readonly interval: number }
  | { readonly _tag: "access_denied" }
  | { readonly _tag: "expired_token" }
  | { readonly _tag: "invalid_grant"; readonly reason: string }

type DeviceRow = {
  client_id: string; scope: string; status: DeviceStatus; user_id: string | null; auth_time: number | null
  acr: string | null; amr_json: string | null; sid: string | null; expires_at: number; interval_s: number
  last_poll_at: number | null; redeemed: number
  decided_at?: number | null; session_expires_at?: number | null; created_at: number
}

export class DeviceCodeStore extends MeteredDurableObject<ServiceEnv> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, tokensBindingMeters)
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS device_codes (
      device_code_hash TEXT PRIMARY KEY,
      user_code_hash TEXT NOT NULL UNIQUE,
      client_id TEXT NOT NULL,
      scope TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending',
      user_id TEXT,
      auth_time INTEGER,
      acr TEXT,
      amr_json TEXT,
      sid TEXT,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      interval_s INTEGER NOT NULL,
      last_poll_at INTEGER,
      redeemed INTEGER NOT NULL DEFAULT 0,
      purge_at INTEGER NOT NULL
    ) WITHOUT ROWID`)
    this.sql.exec("CREATE INDEX IF NOT EXISTS device_codes_purge_at ON device_codes (purge_at)")
    // Issue 9 §2: when the user decided (a "revoke all" after it does not cover the grant) and the session's expiry.
    const columns = this.sql.exec<{ name: string }>("PRAGMA table_info(device_codes)").toArray().map((c) => c.name)
    if (!columns.includes("decided_at")) this.sql.exec("ALTER TABLE device_codes ADD COLUMN decided_at INTEGER")
    if (!columns.includes("session_expires_at")) this.sql.exec("ALTER TABLE device_codes ADD COLUMN session_expires_at INTEGER")
  }

  /**
   * Stores a new pair. False when the user code is already live in this shard
   * (the caller draws another); an expired holder of the same user code is dropped first.
   */
  async create(input: {
    readonly deviceCodeHash: string; readonly userCodeHash: string; readonly clientId: string; readonly scope: string
    readonly now: number; readonly expiresAt: number; readonly interval: number
  }): Promise<boolean> {
    this.sql.exec("DELETE FROM device_codes WHERE user_code_hash = ? AND expires_at <= ?", input.userCodeHash, input.now)
    const taken = this.sql.exec("SELECT 1 FROM device_codes WHERE user_code_hash = ?", input.userCodeHash).toArray().length > 0
    if (taken) return false
    const purgeAt = input.expiresAt + expiredDeviceCodeRetentionMs
    this.sql.exec(
      `INSERT INTO device_codes (device_code_hash, user_code_hash, client_id, scope, created_at, expires_at, interval_s, purge_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      input.deviceCodeHash, input.userCodeHash, input.clientId, input.scope, input.now, input.expiresAt, input.interval, purgeAt
    )
    await armExpiryAlarm(this.ctx.storage, purgeAt)
    return true
  }

  /** The live (unexpired, not yet redeemed) request of a user code, or null. */
  describe(input: { readonly userCodeHash: string; readonly now: number }): DeviceCodeView | null {
    const row = this.sql.exec<DeviceRow>("SELECT * FROM device_codes WHERE user_code_hash = ?", input.userCodeHash).toArray()[0]
    if (row === undefined || row.expires_at <= input.now || row.redeemed === 1) return null
    return { clientId: row.client_id, scope: row.scope, status: row.status }
  }

  /** Approves or denies a pending, unexpired code: the one transition out of `pending`. */
  decide(input: { readonly userCodeHash: string; readonly approve: boolean; readonly approval: DeviceApproval; readonly now: number }): DecideOutcome {
    const row = this.sql.exec<DeviceRow>("SELECT * FROM device_codes WHERE user_code_hash = ?", input.userCodeHash).toArray()[0]
    if (row === undefined || row.expires_at <= input.now) return { _tag: "unknown" }
    if (row.status !== "pending") return { _tag: "already_decided" }
    const a = input.approval
    this.sql.exec(
      `UPDATE device_codes SET status = ?, user_id = ?, auth_time = ?, acr = ?, amr_json = ?, sid = ?, decided_at = ?,
       session_expires_at = ? WHERE user_code_hash = ?`,
      input.approve ? "approved" : "denied", a.userId, a.authTime, a.acr, JSON.stringify(a.amr), a.sid, input.now,
      a.sessionExpiresAt ?? null, input.userCodeHash
    )
    return { _tag: "decided" }
  }

  /**
   * One poll (RFC 8628 §3.4–3.5). Order: another client learns nothing; a
   * redeemed code is spent; expiry; a final decision; then the pace check
   * (polling faster than the interval → `slow_down`, interval + 5 s) while pending.
   */
  poll(input: { readonly deviceCodeHash: string; readonly clientId: string; readonly now: number }): PollOutcome {
    const row = this.sql.exec<DeviceRow>("SELECT * FROM device_codes WHERE device_code_hash = ?", input.deviceCodeHash).toArray()[0]
    if (row === undefined || row.client_id !== input.clientId) return { _tag: "invalid_grant", reason: "unknown device_code" }
    if (row.redeemed === 1) return { _tag: "invalid_grant", reason: "device_code already used" }
    if (row.expires_at <= input.now) return { _tag: "expired_token" }
    if (row.status === "denied") return { _tag: "access_denied" }
    if (row.status === "approved") {
      this.sql.exec("UPDATE device_codes SET redeemed = 1 WHERE device_code_hash = ?", input.deviceCodeHash)
      return {
        _tag: "granted",
        clientId: row.client_id,
        scope: row.scope,
        approval: {
          userId: row.user_id ?? "", authTime: row.auth_time ?? 0, acr: row.acr, amr: parseAmr(row.amr_json), sid: row.sid,
          sessionExpiresAt: row.session_expires_at ?? null
        },
        // Rows decided before the column existed: the code's creation is the latest time known to precede the decision.
        decidedAt: row.decided_at ?? row.created_at
      }
    }
    if (row.last_poll_at !== null && input.now - row.last_poll_at < row.interval_s * 1000) {
      const interval = row.interval_s + slowDownIncrementSeconds
      this.sql.exec("UPDATE device_codes SET interval_s = ?, last_poll_at = ? WHERE device_code_hash = ?", interval, input.now, input.deviceCodeHash)
      return { _tag: "slow_down", interval }
    }
    this.sql.exec("UPDATE device_codes SET last_poll_at = ? WHERE device_code_hash = ?", input.now, input.deviceCodeHash)
    return { _tag: "authorization_pending" }
  }

  /** Purges rows past their retention (expiry + 1 h). */
  override async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec("DELETE FROM device_codes WHERE purge_at <= ?", now)
    const next = this.sql.exec<{ next: number | null }>("SELECT MIN(purge_at) AS next FROM device_codes").one().next
    await rearmExpiryAlarm(this.ctx.storage, next, now)
  }
}

const parseAmr = (json: string | null): ReadonlyArray<string> => {
  const parsed: unknown = json === null ? [] : JSON.parse(json)
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : []
}
