/**
 * What one unit of work did that its metrics data point reports (issue 11 §4):
 * an HTTP request at the edge, one RPC call in a backend. The boundary that
 * writes the data point (the edge's fetch, `serveAll`) provides a fresh
 * object as `CallCounters`; the code that does the work bumps a field — a
 * property increment, no allocation. Outside such a boundary (crons, queues,
 * tests) there is none and nothing is counted.
 */
import { Context, Effect } from "effect"

export interface CallCounts {
  /** Service-binding (RPC) calls made through `makeClient`. */
  serviceCalls: number
  /** D1 retries made by `tryD1`'s retry schedule (not first attempts). */
  d1Retries: number
  /** Durable Object calls made by this unit of work (each service's one DO call helper counts them). */
  durableObjectCalls: number
}

export const newCallCounts = (): CallCounts => ({ serviceCalls: 0, d1Retries: 0, durableObjectCalls: 0 })

/** The counters of the unit of work being served, or null outside one. */
export const CallCounters = Context.Reference<CallCounts | null>("@authrim/contracts/CallCounters", {
  defaultValue: () => null
})

/** Adds one to `field` of the running unit of work's counters (nothing outside one). */
export const countCall = (field: keyof CallCounts): Effect.Effect<void> =>
  Effect.map(CallCounters, (counts) => {
    if (counts !== null) counts[field]++
  })
