/**
 * `RateLimiterCounter` Durable Object (DESIGN §2): one of 1000 shards, each counting many keys
 * in fixed windows. Since issue 10 the counts live in memory (`window_counts.ts`) and only the
 * windows worth keeping across a restart are written to SQLite (`persistence_rule.ts`): a
 * request far from every limit writes nothing. Exact under concurrency because each check is
 * decided in one synchronous step. An alarm deletes stored windows that ended. Since issue 9 §4
 * it also keeps progressive delays per key (`backoff_table.ts`, always stored), swept by the
 * same alarm.
 */
import type {
  BackoffCheck,
  BackoffDecision,
  RateLimitBatch,
  RateLimitBatchDecision,
  RateLimitCheck,
  RateLimitDecision
} from "@authrim/contracts/ratelimit"
import { createBackoffTable, deleteForgottenBackoffs, earliestBackoffExpiry, stepBackoff } from "./backoff_table.ts"
import { createCounterTable, deleteEndedWindows, earliestResetAt } from "./counter_table.ts"
import type { ServiceEnv } from "./env.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { MEMORY_WINDOW_MAX_MS } from "./persistence_rule.ts"
import { WindowCounts, type CountOutcome } from "./window_counts.ts"
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

  /** The shard's windows (memory first); public for tests reading its size through `runInDurableObject`. */
  readonly windows: WindowCounts

  /** Mirror of the pending alarm time, so a check never awaits `getAlarm()`. */
  private alarmAt: number | null = null

  /** Until when (epoch ms) memory holds counts SQLite does not have. */
  private memoryOnlyUntil = 0
  /** The pending timer that keeps the object from hibernating until then (and prunes ended windows). */
  private awake: ReturnType<typeof setTimeout> | undefined

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, rateLimitBindingMeters)
    super(ctx, env)
    createCounterTable(ctx.storage.sql)
    createBackoffTable(ctx.storage.sql)
    this.windows = new WindowCounts(ctx.storage.sql)
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm()
    })
  }

  /**
   * Counts one request for `check.key` now. The decision is taken before the
   * first `await`, so concurrent checks are serialised by the isolate; the
   * only awaited work (scheduling the sweep) happens after the count is taken.
   */
  async check(check: RateLimitCheck): Promise<RateLimitDecision> {
    const outcome = this.countWindow(check, this.now())
    if (outcome.opened) await this.sweepNoLaterThan(outcome.decision.resetAt)
    return outcome.decision
  }

  /**
   * Reads, advances or clears the progressive delay of `check.key` (issue 9 §4).
   * Decided before the first `await` like `check`; a failure that wrote a record
   * makes sure a sweep comes by when it is to be forgotten.
   */
  async backoff(check: BackoffCheck): Promise<BackoffDecision> {
    const decision = stepBackoff(this.ctx.storage.sql, check, this.now())
    if (check.step === "fail") await this.sweepNoLaterThan(decision.notBefore + check.forgetSeconds * 1000)
    return decision
  }

  /**
   * The checks and backoff steps of one request that route to this shard (issue 10), all
   * decided in one synchronous step at one instant, in the order given.
   */
  async checkMany(batch: RateLimitBatch): Promise<RateLimitBatchDecision> {
    const now = this.now()
    const windows = batch.windows.map((check) => this.countWindow(check, now))
    const backoffs = batch.backoffs.map((check) => stepBackoff(this.ctx.storage.sql, check, now))
    const sweeps = [
      ...windows.filter((outcome) => outcome.opened).map((outcome) => outcome.decision.resetAt),
      ...batch.backoffs.flatMap((check, i) => (check.step === "fail" ? [backoffs[i]!.notBefore + check.forgetSeconds * 1000] : []))
    ]
    if (sweeps.length > 0) await this.sweepNoLaterThan(Math.min(...sweeps))
    return { windows: windows.map((outcome) => outcome.decision), backoffs }
  }

  /** Deletes ended windows and forgotten backoffs, then wakes again when the next stored one ends. */
  override async alarm(): Promise<void> {
    this.alarmAt = null
    const now = this.now()
    this.windows.prune(now)
    deleteEndedWindows(this.ctx.storage.sql, now)
    deleteForgottenBackoffs(this.ctx.storage.sql, now)
    const ends = [earliestResetAt(this.ctx.storage.sql), earliestBackoffExpiry(this.ctx.storage.sql)].filter((t): t is number => t !== null)
    if (ends.length > 0) await this.sweepNoLaterThan(Math.max(Math.min(...ends), now + MIN_SWEEP_SPACING_MS))
  }

  private countWindow(check: RateLimitCheck, now: number): CountOutcome {
    const outcome = this.windows.count(check, now)
    if (outcome.memoryOnlyUntil !== null) this.stayAwakeUntil(outcome.memoryOnlyUntil)
    return outcome
  }

  /**
   * Keeps the object in memory until `until`: a Durable Object with a pending timer is not
   * hibernated (Cloudflare's lifecycle), so counts memory alone holds are not dropped 10 s into
   * a quiet spell. The timer also prunes ended windows. Bounded: memory-only windows last at most
   * `MEMORY_WINDOW_MAX_MS`, so the object stays at most that long after its last request.
   */
  private stayAwakeUntil(until: number): void {
    if (until <= this.memoryOnlyUntil) return
    this.memoryOnlyUntil = until
    if (this.awake === undefined) this.armAwakeTimer()
  }

  private armAwakeTimer(): void {
    const delay = Math.min(Math.max(this.memoryOnlyUntil - this.now(), 0), MEMORY_WINDOW_MAX_MS)
    this.awake = setTimeout(() => {
      this.awake = undefined
      const now = this.now()
      this.windows.prune(now)
      if (this.memoryOnlyUntil > now) this.armAwakeTimer()
    }, delay)
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
