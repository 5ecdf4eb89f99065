/**
 * The Durable Object side of the cost meter. A metered stub (metered_bindings.ts)
 * calls `meteredCall(method, args)` instead of `method(...args)`: the object
 * runs the method as a unit of work and returns its value together with what
 * it cost — its own SQLite rows (`rowsRead`/`rowsWritten` of every cursor and
 * KV-API access) and anything it called (D1, KV). Callers that hold a plain
 * stub (tests, tools, every caller while the meter is off) call the methods
 * directly and see plain values; nothing here runs for them.
 *
 * The storage is instrumented by the first metered call an object receives,
 * and only a metering caller makes one: an object whose worker has the meter
 * off keeps workerd's own `sql.exec`.
 */
import type { CostCounts } from "@authrim/contracts/cost_counts"
import { countCost, currentCostMeter, withCostMeter } from "./cost_meter.ts"

/** Name of the RPC method every metered Durable Object class exposes. */
export const meteredCallMethod = "meteredCall"

/** What `meteredCall` answers. */
export interface MeteredAnswer<A = unknown> {
  readonly value: A
  readonly meter?: CostCounts
}

/** The storage members counted: workerd's `DurableObjectStorage` (SQLite-backed). */
interface CountableStorage {
  readonly sql: { exec(query: string, ...bindings: Array<unknown>): { readonly rowsRead: number; readonly rowsWritten: number } }
}

const instrumented = new WeakSet<object>()

/**
 * Makes `storage.sql.exec` report each cursor to the running meter, and the
 * KV-style API (get/put/delete, which SQLite-backed objects keep in a hidden
 * table) count one row per key. Done once per storage object; a host object
 * that refuses the patch is left as it is (its rows are then not counted).
 */
const instrumentStorage = (storage: CountableStorage): void => {
  if (instrumented.has(storage)) return
  instrumented.add(storage)
  try {
    const sql = storage.sql
    const exec = sql.exec.bind(sql)
    Object.defineProperty(sql, "exec", {
      configurable: true,
      value: (query: string, ...bindings: Array<unknown>) => {
        const cursor = exec(query, ...bindings)
        currentCostMeter()?.trackCursor(cursor)
        return cursor
      }
    })
    const kv = storage as unknown as Record<string, unknown>
    const keys = (arg: unknown) => (Array.isArray(arg) ? arg.length : typeof arg === "object" && arg !== null ? Object.keys(arg).length : 1)
    for (const [name, counter] of [["get", "doRowsRead"], ["put", "doRowsWritten"], ["delete", "doRowsWritten"]] as const) {
      const original = kv[name]
      if (typeof original !== "function") continue
      Object.defineProperty(kv, name, {
        configurable: true,
        value: (...args: Array<unknown>) => {
          countCost(counter, keys(args[0]))
          return (original as (...a: Array<unknown>) => unknown).apply(storage, args)
        }
      })
    }
  } catch {
    // Left uninstrumented: the meter under-counts this object's rows rather than breaking it.
  }
}

/**
 * Runs `target[method](...args)` as one unit of work of a Durable Object and
 * answers `{ value, meter }`. Only the object's own prototype methods may be
 * called (not `constructor`, not this entry itself).
 */
export const runMeteredCall = async (
  target: object,
  storage: CountableStorage,
  method: string,
  args: ReadonlyArray<unknown>
): Promise<MeteredAnswer> => {
  const fn = typeof method === "string" && method !== "constructor" && method !== meteredCallMethod
    ? (Object.getPrototypeOf(target) as Record<string, unknown>)[method]
    : undefined
  if (typeof fn !== "function") throw new TypeError(`meteredCall: no method ${String(method)}`)
  instrumentStorage(storage)
  const { result, meter } = await withCostMeter(async () => (fn as (...a: Array<unknown>) => unknown).apply(target, Array.isArray(args) ? args : []))
  const value = foldEnvelopeMeter(result, meter)
  const counts = meter.snapshot()
  return counts === undefined ? { value } : { value, meter: counts }
}

/**
 * A method that answers an RPC envelope (`serve`) carries its own counts in
 * it; they are moved into this call's meter so the caller attributes them to
 * this object's class, and counted once.
 */
const foldEnvelopeMeter = (result: unknown, meter: { merge(counts: unknown): void }): unknown => {
  if (typeof result !== "object" || result === null || !("_tag" in result) || !("meter" in result)) return result
  const { meter: counts, ...envelope } = result as { readonly meter: unknown }
  meter.merge(counts)
  return envelope
}
