/**
 * `rate_limit.refused` audit events (issue 11 §2), sampled so a flood costs
 * the trail almost nothing and the counters nothing at all: the choice is made
 * here, in the service worker, from the decision the shard already returned —
 * no extra Durable Object read or write, and no queue message unless sampled.
 *
 * Sampling, per key and window:
 * - a counted check (cost ≥ 1) is recorded when the units it counted include
 *   the 1st, 101st, 201st… unit over the limit: the first refusal of a key in
 *   a window always, then 1 in 100. The shard hands each counted unit a
 *   distinct `current`, so of N concurrent refusals exactly the right ones
 *   record (deterministic, no double count, no coordination);
 * - a peek (cost 0) counts nothing, so it has no position: 1 in 100 at random;
 * - a backoff step that is refused: the first delay a run of failures earns
 *   (a `fail` reaching `freeFailures + 1`) always, any other refusal 1 in 100
 *   at random.
 * Each event says how it was sampled (`sampling`) and how far over the limit
 * the key was (`over_limit`), so counts can be estimated from the trail.
 * One `record` per RPC call: a `checkMany` puts all its sampled refusals in
 * one message.
 */
import { auditEvent, AuditTrail } from "@authrim/audit-trail"
import type { AuditEvent } from "@authrim/contracts"
import type { BackoffCheck, BackoffDecision, RateLimitBatch, RateLimitCheck, RateLimitDecision } from "@authrim/contracts/ratelimit"
import { Effect, Random } from "effect"
import { backoffInShard, checkManyInShards, countInShard } from "./count_in_shard.ts"
import { CounterNamespace } from "./counter_namespace.ts"

/** 1 in this many later refusals of a key are recorded. */
export const REFUSAL_SAMPLE_EVERY = 100

/** How a recorded refusal was chosen. */
export type Sampling = "first" | "every_100th" | "random_1_in_100"

/**
 * Whether a refused counted check is recorded: the units it counted are
 * `current - cost + 1 … current`, over the limit by `current - limit`; it is
 * recorded when one of them is the 1st, 101st, 201st… over the limit.
 * `random` (0 ≤ r < 1) decides a peek. Null: not recorded (or not refused).
 */
export const windowSampling = (check: RateLimitCheck, decision: RateLimitDecision, random: () => number): Sampling | null => {
  if (decision.allowed) return null
  const cost = check.cost ?? 1
  if (cost === 0) return random() < 1 / REFUSAL_SAMPLE_EVERY ? "random_1_in_100" : null
  const lastOver = decision.current - decision.limit
  const firstOver = Math.max(1, lastOver - cost + 1)
  if (firstOver === 1) return "first"
  // Is there a v in [firstOver, lastOver] with v ≡ 1 (mod 100)?
  const next = firstOver + ((1 - firstOver) % REFUSAL_SAMPLE_EVERY + REFUSAL_SAMPLE_EVERY) % REFUSAL_SAMPLE_EVERY
  return next <= lastOver ? "every_100th" : null
}

/** Whether a refused backoff step is recorded (see the module comment). */
export const backoffSampling = (check: BackoffCheck, decision: BackoffDecision, random: () => number): Sampling | null => {
  if (decision.allowed) return null
  if (check.step === "fail" && decision.failures === check.freeFailures + 1) return "first"
  return random() < 1 / REFUSAL_SAMPLE_EVERY ? "random_1_in_100" : null
}

const refused = (key: string, sampling: Sampling, details: Record<string, number | string>): AuditEvent =>
  auditEvent({
    type: "rate_limit.refused", outcome: "failure", actor: { kind: "system", id: "authrim-ratelimit" },
    subject: { kind: "rate_limit_key", id: key }, details: { sampling, ...details }
  })

const windowEvent = (check: RateLimitCheck, decision: RateLimitDecision, random: () => number): ReadonlyArray<AuditEvent> => {
  const sampling = windowSampling(check, decision, random)
  return sampling === null ? [] : [refused(check.key, sampling, {
    kind: "window", limit: decision.limit, window_seconds: check.windowSeconds, over_limit: Math.max(0, decision.current - decision.limit), retry_after: decision.retryAfter
  })]
}

const backoffEvent = (check: BackoffCheck, decision: BackoffDecision, random: () => number): ReadonlyArray<AuditEvent> => {
  const sampling = backoffSampling(check, decision, random)
  return sampling === null ? [] : [refused(check.key, sampling, { kind: "backoff", step: check.step, failures: decision.failures, retry_after: decision.retryAfter })]
}

/** Records the sampled refusals of one call (nothing when none is sampled: no message). */
const recordSampled = (events: ReadonlyArray<AuditEvent>) =>
  events.length === 0 ? Effect.void : AuditTrail.use((trail) => trail.record(events))

/** A uniform draw in [0, 1) from Effect's `Random` (seedable in tests), taken only when a peek or backoff is refused. */
const randomOf = Effect.map(Random.next, (r) => () => r)

/** `check` + its sampled refusal. */
export const checkWindow = Effect.fnUntraced(function*(check: RateLimitCheck) {
  const decision = yield* CounterNamespace.use((counters) => countInShard(counters, check))
  if (!decision.allowed) yield* recordSampled(windowEvent(check, decision, yield* randomOf))
  return decision
})

/** `backoff` + its sampled refusal. */
export const stepBackoff = Effect.fnUntraced(function*(check: BackoffCheck) {
  const decision = yield* CounterNamespace.use((counters) => backoffInShard(counters, check))
  if (!decision.allowed) yield* recordSampled(backoffEvent(check, decision, yield* randomOf))
  return decision
})

/** `checkMany` + its sampled refusals, in one message. */
export const checkBatch = Effect.fnUntraced(function*(batch: RateLimitBatch) {
  const decisions = yield* CounterNamespace.use((counters) => checkManyInShards(counters, batch))
  if (decisions.windows.every((d) => d.allowed) && decisions.backoffs.every((d) => d.allowed)) return decisions
  const draws: Array<number> = []
  for (let i = 0; i < batch.windows.length + batch.backoffs.length; i++) draws.push(yield* Random.next)
  let n = 0
  const random = () => draws[n++] ?? 1
  yield* recordSampled([
    ...batch.windows.flatMap((check, i) => windowEvent(check, decisions.windows[i]!, random)),
    ...batch.backoffs.flatMap((check, i) => backoffEvent(check, decisions.backoffs[i]!, random))
  ])
  return decisions
})
