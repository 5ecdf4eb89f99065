/**
 * AssertionJtiStore Durable Object: the `jti` of every accepted
 * `private_key_jwt` client assertion, so each assertion is used once
 * (RFC 7523 §3 item 7, OIDC Core §9 "MAY … only be used once"; FAPI 2.0
 * requires it). One object per shard (`assertion-jti-<n>`, n < 32, a stable
 * hash of the client id — see assertion_jti_shard.ts), one SQLite row per
 * (client, jti) keyed by a SHA-256 of both, kept until the assertion's own
 * expiry (plus the clock tolerance): after that the `exp` check refuses the
 * assertion anyway, so an alarm can purge the row without reopening a replay.
 */
import { CachedExpiryAlarm } from "@authrim/platform"
import type { ServiceEnv } from "../env.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { identityBindingMeters } from "../env.ts"

interface UsedRow extends Record<string, SqlStorageValue> {
  expires_at: number
}

export class AssertionJtiStore extends MeteredDurableObject<ServiceEnv> {
  /** One alarm at the earliest pending expiry, purges at least a minute apart (@authrim/platform). */
  private readonly expiryAlarm = new CachedExpiryAlarm(this.ctx.storage)

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, identityBindingMeters)
    super(ctx, env)
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS used_assertions (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
       CREATE INDEX IF NOT EXISTS used_assertions_expiry ON used_assertions (expires_at)`
    )
  }

  /**
   * Records `key` until `expiresAt` (epoch ms); false when it is already recorded
   * and live. Check and insert are synchronous SQL with no await between them,
   * so concurrent calls serialise: exactly one of N uses of one jti gets true.
   */
  async use(key: string, expiresAt: number): Promise<boolean> {
    const now = Date.now()
    const sql = this.ctx.storage.sql
    const existing = sql.exec<UsedRow>("SELECT expires_at FROM used_assertions WHERE key = ?", key).toArray()[0]
    if (existing !== undefined && existing.expires_at > now) return false
    sql.exec("INSERT OR REPLACE INTO used_assertions (key, expires_at) VALUES (?, ?)", key, expiresAt)
    await this.expiryAlarm.arm(expiresAt)
    return true
  }

  override async alarm(): Promise<void> {
    const now = Date.now()
    const sql = this.ctx.storage.sql
    sql.exec("DELETE FROM used_assertions WHERE expires_at <= ?", now)
    const next = sql.exec<UsedRow>("SELECT MIN(expires_at) AS expires_at FROM used_assertions").toArray()[0]?.expires_at ?? null
    // At most one purge a minute (reads check expiry themselves), not one per expiring assertion.
    await this.expiryAlarm.afterPurge(next, now)
  }
}
