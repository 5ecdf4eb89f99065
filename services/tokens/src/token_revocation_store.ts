/**
 * TokenRevocationStore Durable Object: the denylist of access-token jtis,
 * sharded by jti (`revocationShardName`). A row lives until the token it
 * revokes would have expired anyway, then the alarm purges it.
 */
import { armExpiryAlarm, rearmExpiryAlarm } from "@authrim/platform"
import type { ServiceEnv } from "./env.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { tokensBindingMeters } from "./env.ts"

/** One revocation. `expiresAt` is the revoked token's own `exp` (epoch ms). */
export interface RevocationInput {
  readonly jti: string
  readonly reason: string
  readonly now: number
  readonly expiresAt: number
}

export class TokenRevocationStore extends MeteredDurableObject<ServiceEnv> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, tokensBindingMeters)
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS revoked_tokens (
      jti TEXT PRIMARY KEY,
      reason TEXT NOT NULL,
      revoked_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID`)
    this.sql.exec("CREATE INDEX IF NOT EXISTS revoked_tokens_expires_at ON revoked_tokens (expires_at)")
    // Issue 12: a deleted client's access tokens (revoke_client_tokens.ts). Every shard holds the row, so the
    // jti's own shard answers for the client in the same read — no extra DO request per token use.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS revoked_clients (
      client_id TEXT PRIMARY KEY,
      cut_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID`)
  }

  /** Idempotent: the first revocation's reason and time are kept. Already-expired tokens need no row. */
  async revoke(input: RevocationInput): Promise<void> {
    if (input.expiresAt <= input.now) return
    this.sql.exec(
      "INSERT INTO revoked_tokens (jti, reason, revoked_at, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (jti) DO NOTHING",
      input.jti, input.reason, input.now, input.expiresAt
    )
    await armExpiryAlarm(this.ctx.storage, input.expiresAt)
  }

  /**
   * Every access token of `clientId` issued at or before `now` is revoked (the
   * client was deleted) until `expiresAt` (the longest access-token lifetime
   * later). Idempotent; a later call moves the cut forward.
   */
  async revokeClient(input: { readonly clientId: string; readonly now: number; readonly expiresAt: number }): Promise<void> {
    this.sql.exec(
      `INSERT INTO revoked_clients (client_id, cut_at, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (client_id) DO UPDATE SET cut_at = MAX(cut_at, excluded.cut_at), expires_at = MAX(expires_at, excluded.expires_at)`,
      input.clientId, input.now, input.expiresAt
    )
    await armExpiryAlarm(this.ctx.storage, input.expiresAt)
  }

  /**
   * True when the jti is on the denylist, or — when `client` is given — its
   * client was deleted after the token was issued (`issuedAt`, epoch ms).
   */
  isRevoked(jti: string, client?: { readonly clientId: string; readonly issuedAt: number }): boolean {
    if (this.sql.exec("SELECT 1 FROM revoked_tokens WHERE jti = ?", jti).toArray().length > 0) return true
    if (client === undefined) return false
    return this.sql.exec("SELECT 1 FROM revoked_clients WHERE client_id = ? AND cut_at >= ?", client.clientId, client.issuedAt).toArray().length > 0
  }

  /** Purges rows whose token has expired (they can no longer verify anyway). */
  override async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec("DELETE FROM revoked_tokens WHERE expires_at <= ?", now)
    this.sql.exec("DELETE FROM revoked_clients WHERE expires_at <= ?", now)
    const next = this.sql.exec<{ next: number | null }>(
      "SELECT MIN(e) AS next FROM (SELECT MIN(expires_at) AS e FROM revoked_tokens UNION ALL SELECT MIN(expires_at) FROM revoked_clients)"
    ).one().next
    await rearmExpiryAlarm(this.ctx.storage, next, now)
  }
}
