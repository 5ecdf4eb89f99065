/**
 * The cost meter (issue 5): every billable operation an HTTP request causes,
 * counted where it happens — at the binding — and carried back to the edge
 * with the RPC results, so the bill of a request is a measurement, not a
 * hand-written table. Opt-in (issue 10): only a worker that switches it on
 * (metered_env.ts) ever opens a scope here.
 *
 * Scope: one `CostMeter` per unit of work — an edge HTTP request, one RPC
 * method on a backend entrypoint (`serve`), one Durable Object call
 * (`runMeteredCall`). The current meter is found through `AsyncLocalStorage`
 * (workerd's `nodejs_compat`), so binding wrappers made once per isolate
 * still count into the request that is running. A callee's counts travel back
 * in the RPC envelope (`meter`) and the caller merges them; work left running
 * after a response (`waitUntil`) is not attributed to it.
 */
/// <reference path="../types/node_async_hooks.d.ts" />
import type { CostCounts } from "@authrim/contracts/cost_counts"
import { AsyncLocalStorage } from "node:async_hooks"

/** The numeric (non-map) counters of {@link CostCounts}. */
export type CostCounter = Exclude<keyof CostCounts, "doRequests" | "doRowsWrittenByClass">

/** A SQLite cursor's running row counts (workerd `SqlStorageCursor`). */
interface RowCountingCursor {
  readonly rowsRead: number
  readonly rowsWritten: number
}

/** Accumulates the counts of one unit of work. */
export class CostMeter {
  readonly #counts: Map<CostCounter, number> = new Map()
  readonly #doRequests: Map<string, number> = new Map()
  readonly #doRowsWrittenByClass: Map<string, number> = new Map()
  /** Cursors opened during this unit: their row counts grow while they are read, so they are summed at the end. */
  readonly #cursors: Array<RowCountingCursor> = []

  /** Counts `n` (default 1) of `counter`; zero and negative amounts are ignored. */
  add(counter: CostCounter, n = 1): void {
    if (n > 0) this.#counts.set(counter, (this.#counts.get(counter) ?? 0) + n)
  }

  /** Counts one Durable Object request of `className` (one RPC call on a stub). */
  addDoRequest(className: string): void {
    addTo(this.#doRequests, className, 1)
  }

  /** Attributes rows a Durable Object call wrote to its class (the rows themselves arrive through `merge`). */
  addDoRowsWritten(className: string, rows: unknown): void {
    if (typeof rows === "number" && Number.isFinite(rows) && rows > 0) addTo(this.#doRowsWrittenByClass, className, rows)
  }

  /** Remembers a SQLite cursor opened in this unit; its rows are summed at `snapshot`. */
  trackCursor(cursor: RowCountingCursor): void {
    this.#cursors.push(cursor)
  }

  /** Adds another unit's counts (a callee's, returned over RPC). Tolerates malformed input: it is only telemetry. */
  merge(other: unknown): void {
    if (typeof other !== "object" || other === null) return
    for (const [key, value] of Object.entries(other)) {
      if ((key === "doRequests" || key === "doRowsWrittenByClass") && typeof value === "object" && value !== null) {
        const target = key === "doRequests" ? this.#doRequests : this.#doRowsWrittenByClass
        for (const [cls, n] of Object.entries(value)) {
          if (typeof n === "number" && Number.isFinite(n) && n > 0) addTo(target, cls, n)
        }
      } else if (typeof value === "number" && Number.isFinite(value) && costCounters.includes(key as CostCounter)) {
        this.add(key as CostCounter, value)
      }
    }
  }

  /** The counts so far, zero fields left out; `undefined` when nothing was counted. */
  snapshot(): CostCounts | undefined {
    const out: Record<string, unknown> = {}
    const counts = new Map(this.#counts)
    for (const cursor of this.#cursors) {
      if (cursor.rowsRead > 0) counts.set("doRowsRead", (counts.get("doRowsRead") ?? 0) + cursor.rowsRead)
      if (cursor.rowsWritten > 0) counts.set("doRowsWritten", (counts.get("doRowsWritten") ?? 0) + cursor.rowsWritten)
    }
    for (const [key, n] of counts) out[key] = n
    if (this.#doRequests.size > 0) out["doRequests"] = Object.fromEntries(this.#doRequests)
    if (this.#doRowsWrittenByClass.size > 0) out["doRowsWrittenByClass"] = Object.fromEntries(this.#doRowsWrittenByClass)
    return Object.keys(out).length === 0 ? undefined : (out as CostCounts)
  }
}

const addTo = (map: Map<string, number>, key: string, n: number): void => {
  map.set(key, (map.get(key) ?? 0) + n)
}

/** Every numeric counter name (used to accept only known fields from the wire). */
export const costCounters: ReadonlyArray<CostCounter> = [
  "workerRequests", "serviceCalls", "doRowsRead", "doRowsWritten", "d1Queries", "d1RowsRead", "d1RowsWritten",
  "kvReads", "kvWrites", "kvDeletes", "kvLists", "queueMessages", "r2ClassA", "r2ClassB"
]

/** Made by the first unit of work: an isolate whose meter stays off never creates one. */
let meterScope: AsyncLocalStorage<CostMeter> | undefined

/** The meter of the unit of work that is running, if any (code outside any unit counts nothing). */
export const currentCostMeter = (): CostMeter | undefined => meterScope?.getStore()

/** Counts `n` of `counter` into the running unit of work. */
export const countCost = (counter: CostCounter, n = 1): void => {
  meterScope?.getStore()?.add(counter, n)
}

/** Runs `work` as a unit of work with a fresh meter; returns its result and the meter. */
export const withCostMeter = async <A>(work: () => Promise<A>): Promise<{ readonly result: A; readonly meter: CostMeter }> => {
  const meter = new CostMeter()
  const result = await (meterScope ??= new AsyncLocalStorage<CostMeter>()).run(meter, work)
  return { result, meter }
}
