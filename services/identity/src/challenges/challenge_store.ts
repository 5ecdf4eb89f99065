/**
 * ChallengeStore Durable Object (DESIGN §2): pending logins, consents,
 * passkey ceremonies… 15 minutes at most, single use. One object per shard
 * (see `challenge_shard.ts`); rows live in the object's SQLite storage and an
 * alarm purges them after expiry. Methods return `null` for "no live
 * challenge" (a domain outcome, never thrown); the entrypoint turns that into
 * `NotFound`.
 */
import { CachedExpiryAlarm } from "@authrim/platform"
import type { ChallengeType } from "@authrim/contracts"
import { ChallengeTable, type NewChallenge, type StoredChallenge } from "./challenge_table.ts"
import type { ServiceEnv } from "../env.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { identityBindingMeters } from "../env.ts"

export class ChallengeStore extends MeteredDurableObject<ServiceEnv> {
  private readonly table: ChallengeTable
  /** One alarm at the earliest pending expiry, purges at least a minute apart (@authrim/platform). */
  private readonly expiryAlarm = new CachedExpiryAlarm(this.ctx.storage)

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, identityBindingMeters)
    super(ctx, env)
    this.table = new ChallengeTable(ctx.storage.sql)
  }

  async create(input: NewChallenge): Promise<StoredChallenge> {
    const challenge = this.table.create(input, Date.now())
    await this.expiryAlarm.arm(challenge.expiresAt)
    return challenge
  }

  peek(id: string, type: ChallengeType): StoredChallenge | null {
    return this.table.peek(id, type, Date.now())
  }

  /** Synchronous from check to update, so concurrent callers serialise: exactly one gets the challenge. */
  consume(id: string, type: ChallengeType): StoredChallenge | null {
    return this.table.consume(id, type, Date.now())
  }

  /** Single use of a sealed transaction (see `ChallengeTable.claim`): synchronous, so exactly one concurrent caller wins. */
  async claim(id: string, expiresAt: number): Promise<boolean> {
    const won = this.table.claim(id, expiresAt, Date.now())
    if (won) await this.expiryAlarm.arm(expiresAt)
    return won
  }

  override async alarm(): Promise<void> {
    const now = Date.now()
    const next = this.table.purgeExpired(now)
    // Purging late is harmless (reads check expiry): at most one purge a minute, not one per expiring challenge.
    await this.expiryAlarm.afterPurge(next, now)
  }
}
