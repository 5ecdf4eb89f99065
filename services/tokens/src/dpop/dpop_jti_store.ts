/**
 * DPoPJTIStore Durable Object (one of 32 shards, by the proof key's
 * thumbprint): each proof `jti` is accepted once per key (RFC 9449 §11.1).
 * `accept` is one synchronous SQL statement, so under the object's input gate
 * of N concurrent proofs with one jti exactly one is accepted. A row lives
 * until the proof could no longer pass the `iat` window, then the alarm purges it.
 */
import { armExpiryAlarm, rearmExpiryAlarm } from "@authrim/platform"
import type { ServiceEnv } from "../env.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { tokensBindingMeters } from "../env.ts"

/** One proof to remember. */
export interface AcceptJtiInput {
  readonly jkt: string
  readonly jti: string
  readonly now: number
  /** Epoch ms after which the proof fails the iat window anyway (≤ now + 2 × window, ≤ 1 h). */
  readonly expiresAt: number
}

export class DPoPJTIStore extends MeteredDurableObject<ServiceEnv> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, tokensBindingMeters)
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS dpop_jtis (
      jkt TEXT NOT NULL, jti TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (jkt, jti)
    ) WITHOUT ROWID`)
    this.sql.exec("CREATE INDEX IF NOT EXISTS dpop_jtis_expires_at ON dpop_jtis (expires_at)")
  }

  /** True the first time a (key, jti) is seen; a row already expired (not yet purged) counts as unseen. */
  async accept(input: AcceptJtiInput): Promise<boolean> {
    const accepted = this.sql.exec(
      `INSERT INTO dpop_jtis (jkt, jti, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (jkt, jti) DO UPDATE SET expires_at = excluded.expires_at WHERE dpop_jtis.expires_at <= ?`,
      input.jkt, input.jti, input.expiresAt, input.now
    ).rowsWritten > 0
    if (accepted) await armExpiryAlarm(this.ctx.storage, input.expiresAt)
    return accepted
  }

  /** Purges rows whose proofs can no longer pass the iat window. */
  override async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec("DELETE FROM dpop_jtis WHERE expires_at <= ?", now)
    const next = this.sql.exec<{ next: number | null }>("SELECT MIN(expires_at) AS next FROM dpop_jtis").one().next
    await rearmExpiryAlarm(this.ctx.storage, next, now)
  }

  /** Number of remembered proofs (tests and operators). */
  size(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM dpop_jtis").one().n
  }
}
