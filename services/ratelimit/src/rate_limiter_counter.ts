/**
 * `RateLimiterCounter` Durable Object (DESIGN §2): one of 1000 shards, each
 * counting many keys in fixed windows in its SQLite storage. Exact under
 * concurrency because each check is one synchronous upsert (see
 * `counter_table.ts`); an alarm deletes keys whose window has ended, so a
 * shard that has seen thousands of IPs stays as small as its live windows.
 * Since issue 9 §4 it also keeps progressive delays per key (`backoff_table.ts`),
 * swept by the same alarm.
 */
import type { BackoffCheck, BackoffDecision, RateLimitCheck, RateLimitDecision } from "@authrim/contracts/ratelimit"
import { createBackoffTable, deleteForgottenBackoffs, earliestBackoffExpiry, stepBackoff } from "./backoff_table.ts"
import { countRequest, createCounterTable, deleteEndedWindows, earliestResetAt } from "./counter_table.ts"
import type { ServiceEnv } from "./env.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { rateLimitBindingMeters } from "./env.ts"

/**
 * Least spacing between two sweeps an alarm schedules for itself: with many
 * keys ending a few ms apart, one sweep per minute deletes them in batches
 * instead of waking the object per key. Keys may outlive their window by
 * this much; they are never counted again once ended (a check restarts them).
 * A minute, not less: every alarm is a billed request, and 1,000 busy shards
 * sweeping every 10 s would be 259 M requests a month (docs/cost.md).
 */
export const MIN_SWEEP_SPACING_MS = 60_000

export class RateLimiterCounter extends MeteredDurableObject<ServiceEnv> {
  /**
   * Source of "now" (epoch ms). The one seam for tests: they replace it inside
   * `runInDurableObject` to move a shard's time without sleeping. RPC cannot
   * assign properties, and only this worker can reach the object anyway.
   */
  now: () => number = () => Date.now()

  /** Mirror of the pending alarm time, so a check never awaits `getAlarm()`. */
  private alarmAt: number | null = null

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, rateLimitBindingMeters)
    super(ctx, env)
    createCounterTable(ctx.storage.sql)
    createBackoffTable(ctx.storage.sql)
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm()
    })
  }

  /**
   * Counts one request for `check.key` now. The decision is taken before the
   * first `await`, so concurrent checks are serialised by the isolate; the
   * only awaited work (scheduling the sweep) happens after the count is written.
   */
  async check(check: RateLimitCheck): Promise<RateLimitDecision> {
    const decision = countRequest(this.ctx.storage.sql, check, this.now())
    // A counted check that opened a window needs a sweep; a peek (cost 0) wrote nothing.
    if (check.cost !== 0 && decision.current === (check.cost ?? 1)) await this.sweepNoLaterThan(decision.resetAt)
    return decision
  }

  /**
   * Reads, advances or clears the progressive delay of `check.key` (issue 9 §4).
   * Decided before the first `await` like `check`; a failure that wrote a record
   * makes sure a sweep comes by when it is to be forgotten.
   */
  async backoff(check: BackoffCheck): Promise<BackoffDecision> {
    const now = this.now()
    const decision = stepBackoff(this.ctx.storage.sql, check, now)
    if (check.step === "fail") await this.sweepNoLaterThan(decision.notBefore + check.forgetSeconds * 1000)
    return decision
  }

  /** Deletes ended windows and forgotten backoffs, then wakes again when the next live one ends. */
  override async alarm(): Promise<void> {
    this.alarmAt = null
    const now = this.now()
    deleteEndedWindows(this.ctx.storage.sql, now)
    deleteForgottenBackoffs(this.ctx.storage.sql, now)
    const ends = [earliestResetAt(this.ctx.storage.sql), earliestBackoffExpiry(this.ctx.storage.sql)].filter((t): t is number => t !== null)
    if (ends.length > 0) await this.sweepNoLaterThan(Math.max(Math.min(...ends), now + MIN_SWEEP_SPACING_MS))
  }

  /** Makes sure an alarm fires by `at`: only ever moves the pending alarm earlier. */
  private async sweepNoLaterThan(at: number): Promise<void> {
    if (this.alarmAt !== null && this.alarmAt <= at) return
    this.alarmAt = at
    try {
      await this.ctx.storage.setAlarm(at)
    } catch (error) {
      this.alarmAt = null // unknown state: let the next new window arm it again
      throw error
    }
  }
}
