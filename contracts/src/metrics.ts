/**
 * Workers Analytics Engine data points (issue 11 §4; queries in
 * docs/operations.md). Each worker binds its dataset as `METRICS`
 * (`analytics_engine_datasets` in its wrangler.jsonc); an absent binding —
 * tests, a deployment without Analytics Engine — writes nothing. Writing is
 * fire-and-forget in the runtime; `writeDataPoint` here also swallows any
 * throw, so a metric can never fail the request it describes.
 *
 * Backends: one point per RPC call into dataset `authrim_service_calls`,
 * written by `serveAll` (handlers stay clean):
 *   index1 = "<service>.<method>"
 *   blob1 = service, blob2 = method, blob3 = outcome tag ("Success", a failure `_tag`, or "Defect")
 *   double1 = duration ms, double2 = D1 retries, double3 = Durable Object calls,
 *   double4 = cold isolate (1 for the first call this entrypoint class served in its isolate)
 */
import type { CallCounts } from "./call_counters.ts"

/** One Analytics Engine data point (the shape of `AnalyticsEngineDataset.writeDataPoint`'s argument). */
export interface DataPoint {
  readonly indexes: ReadonlyArray<string>
  readonly blobs: ReadonlyArray<string>
  readonly doubles: ReadonlyArray<number>
}

/** What a worker's env may bind (the runtime's `AnalyticsEngineDataset`). */
export interface MetricsDataset {
  writeDataPoint(point?: { indexes?: Array<string>; blobs?: Array<string | null>; doubles?: Array<number> }): void
}

/** The setting every worker's env may declare. */
export interface MetricsBinding {
  readonly METRICS?: MetricsDataset | undefined
}

/** Writes `point` to `dataset` when there is one; never throws. */
export const writeDataPoint = (dataset: MetricsDataset | undefined, point: DataPoint): void => {
  if (dataset === undefined) return
  try {
    dataset.writeDataPoint({ indexes: [...point.indexes], blobs: [...point.blobs], doubles: [...point.doubles] })
  } catch {
    // a metric never fails the request it describes
  }
}

/** The outcome tag of an RPC call: "Success", the failure's `_tag`, or "Defect" (a throw). */
export const outcomeTagOf = (result: unknown): string => {
  if (typeof result !== "object" || result === null) return "Defect"
  const envelope = result as { readonly _tag?: unknown; readonly error?: unknown }
  if (envelope._tag === "Success") return "Success"
  const tag = (envelope.error as { readonly _tag?: unknown } | null | undefined)?._tag
  return typeof tag === "string" ? tag : "Failure"
}

/** The `authrim_service_calls` point of one RPC call (layout in the module comment). */
export const serviceCallDataPoint = (call: {
  readonly service: string
  readonly method: string
  readonly outcome: string
  readonly durationMs: number
  readonly counts: CallCounts
  readonly coldIsolate?: boolean
}): DataPoint => ({
  indexes: [`${call.service}.${call.method}`],
  blobs: [call.service, call.method, call.outcome],
  doubles: [call.durationMs, call.counts.d1Retries, call.counts.durableObjectCalls, call.coldIsolate === true ? 1 : 0]
})
