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

  /** True when the jti is on the denylist. */
  isRevoked(jti: string): boolean {
    return this.sql.exec("SELECT 1 FROM revoked_tokens WHERE jti = ?", jti).toArray().length > 0
  }

  /** Purges rows whose token has expired (they can no longer verify anyway). */
  override async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec("DELETE FROM revoked_tokens WHERE expires_at <= ?", now)
    const next = this.sql.exec<{ next: number | null }>("SELECT MIN(expires_at) AS next FROM revoked_tokens").one().next
    await rearmExpiryAlarm(this.ctx.storage, next, now)
  }
}
