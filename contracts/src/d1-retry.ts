/**
 * The single D1 retry policy (DESIGN §1): transient failures only, exponential
 * 100 → 200 → 400 ms, at most 3 retries, jittered. Non-transient errors
 * (constraint violations, SQL errors) fail at once. Every D1 access in every
 * service goes through `tryD1`, so the rule lives here, beside the contracts,
 * rather than being copied into each service.
 */
import { Effect, Schedule, Schema } from "effect"
import { Unavailable } from "./errors.ts"
import { CallCounters } from "./call_counters.ts"

/** Message fragments of D1 failures that a retry can fix (network, reset, overload). */
const transientMarkers = [
  "network connection lost",
  "storage caused object to be reset",
  "reset because its code was updated",
  "transient",
  "internal error",
  "overloaded",
  "too many requests",
  "timed out",
  "timeout",
  "connection reset",
  "socket hang up"
]

/** A D1 call that failed; `transient` decides whether the policy retries it. */
export class D1Failure extends Schema.TaggedError<D1Failure>()("D1Failure", {
  operation: Schema.String,
  message: Schema.String,
  transient: Schema.Boolean
}) {}

/** True when a D1 error message names a fault a retry can fix. */
export const isTransientD1Message = (message: string): boolean => {
  const m = message.toLowerCase()
  return transientMarkers.some((marker) => m.includes(marker))
}

/** Exponential 100 ms base, jittered, at most 3 retries, only while the failure is transient. */
export const d1RetrySchedule = Schedule.exponential("100 millis").pipe(
  Schedule.jittered,
  Schedule.upTo({ times: 3 }),
  Schedule.setInputType<D1Failure>(),
  Schedule.while(({ input }) => input.transient)
)

/**
 * Runs one D1 operation under the retry policy. A failure left after the
 * policy gives up becomes `Unavailable` in the caller's typed channel.
 * Writes passed here must be idempotent (upserts, keyed inserts), because a
 * "lost" response may have committed. Each retry is counted in the running
 * call's `CallCounters` (its metrics data point), when there is one.
 */
export const tryD1 = <A>(service: string, operation: string, run: () => Promise<A>): Effect.Effect<A, Unavailable> =>
  Effect.flatMap(CallCounters, (counts) => {
    let attempts = 0
    return attempt(counts === null ? run : () => {
      if (attempts++ > 0) counts.d1Retries++
      return run()
    }, service, operation)
  })

const attempt = <A>(run: () => Promise<A>, service: string, operation: string): Effect.Effect<A, Unavailable> =>
  Effect.tryPromise({
    try: run,
    catch: (cause) => {
      const message = cause instanceof Error ? cause.message : String(cause)
      return new D1Failure({ operation, message, transient: isTransientD1Message(message) })
    }
  }).pipe(
    Effect.retry(d1RetrySchedule),
    Effect.mapError((f) => new Unavailable({ service, reason: `D1 ${f.operation}: ${f.message}` }))
  )
