/**
 * ChallengeStore Durable Object (DESIGN §2): pending logins, consents,
 * passkey ceremonies… 15 minutes at most, single use. One object per shard
 * (see `challenge_shard.ts`); rows live in the object's SQLite storage and an
 * alarm purges them after expiry. Methods return `null` for "no live
 * challenge" (a domain outcome, never thrown); the entrypoint turns that into
 * `NotFound`.
 */
import { MIN_PURGE_SPACING_MS } from "@authrim/platform"
import type { ChallengeType } from "@authrim/contracts"
import { ChallengeTable, type NewChallenge, type StoredChallenge } from "./challenge_table.ts"
import type { ServiceEnv } from "../env.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { identityBindingMeters } from "../env.ts"

export class ChallengeStore extends MeteredDurableObject<ServiceEnv> {
  private readonly table: ChallengeTable
  /** When the purge alarm is set for, as far as this instance knows (saves a storage read per create). */
  private alarmAt: number | null | undefined = undefined

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, identityBindingMeters)
    super(ctx, env)
    this.table = new ChallengeTable(ctx.storage.sql)
  }

  async create(input: NewChallenge): Promise<StoredChallenge> {
    const challenge = this.table.create(input, Date.now())
    await this.scheduleAlarm(challenge.expiresAt)
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
    if (won) await this.scheduleAlarm(expiresAt)
    return won
  }

  override async alarm(): Promise<void> {
    const now = Date.now()
    const next = this.table.purgeExpired(now)
    this.alarmAt = null
    // Purging late is harmless (reads check expiry): at most one purge a minute, not one per expiring challenge.
    if (next !== null) await this.scheduleAlarm(Math.max(next, now + MIN_PURGE_SPACING_MS))
  }

  /** Keeps one alarm at the earliest pending expiry (an expiry later than the set alarm needs no change). */
  private async scheduleAlarm(at: number): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm()
    if (this.alarmAt !== null && this.alarmAt <= at) return
    await this.ctx.storage.setAlarm(at)
    this.alarmAt = at
  }
}
