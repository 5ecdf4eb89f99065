/**
 * Binding wrappers that count billable operations into the running cost meter
 * (cost_meter.ts). Used only when a worker's meter is on: its entrypoint and
 * Durable Object constructors call `meteredEnv(env, spec)` (metered_env.ts),
 * which answers `env` itself when the meter is off. The spec names the kind
 * of each binding the worker owns — explicit, because a service binding
 * answers any property name with a remote method and cannot be told apart by
 * probing.
 *
 * Each wrapper forwards to the real binding unchanged; only counting is added.
 * Forwarding uses `Reflect.apply`: on an RPC stub, `.apply`/`.call`/`.bind`
 * would themselves be read as remote method names.
 * D1 reports `rows_read`/`rows_written` per statement, so `first()`/`raw()`
 * run as `all()` (same statement, same rows scanned) to see them.
 */
import { countCost, currentCostMeter } from "./cost_meter.ts"
import { meteredCallMethod } from "./metered_object.ts"

/** How to count one binding. */
export type BindingMeter = "d1" | "kv" | "queue" | "r2" | "service" | { readonly durableObject: string }

/** Binding name → kind, for the bindings a worker wants counted. */
export type BindingMeterSpec = Readonly<Record<string, BindingMeter>>

const meteredEnvs = new WeakMap<object, object>()
const meteredBindingsByOriginal = new WeakMap<object, object>()

/**
 * `env` with the bindings named in `spec` wrapped; other fields as they are.
 * A proxy, so a binding is wrapped (once) when first read — reading env stays
 * lazy, and a fault in it surfaces where the binding is used.
 */
export const meterBindings = <E extends object>(env: E, spec: BindingMeterSpec): E => {
  const cached = meteredEnvs.get(env)
  if (cached !== undefined) return cached as E
  const metered = new Proxy(env, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target)
      if (typeof prop !== "string" || !Object.hasOwn(spec, prop) || typeof value !== "object" || value === null) return value
      let binding = meteredBindingsByOriginal.get(value)
      if (binding === undefined) {
        binding = wrapBinding(value, spec[prop]!)
        meteredBindingsByOriginal.set(value, binding)
      }
      return binding
    }
  })
  meteredEnvs.set(env, metered)
  return metered
}

const wrapBinding = (binding: object, kind: BindingMeter): object => {
  if (typeof kind === "object") return meteredNamespace(binding as DurableObjectNamespaceLike, kind.durableObject)
  switch (kind) {
    case "d1": return meteredD1(binding as D1Like)
    case "kv": return meteredKv(binding as Record<string, unknown>)
    case "queue": return countingByName(binding, { send: () => countCost("queueMessages"), sendBatch: (args) => countCost("queueMessages", Array.isArray(args[0]) ? args[0].length : 0) })
    case "r2": return meteredR2(binding)
    case "service": return meteredService(binding)
  }
}

/**
 * Forwards every method, calling `count(name, args)` first. `then` is passed
 * through untouched: on an RPC stub it is a remote method like any other, and
 * wrapping it would make the binding look like a promise.
 */
const countingMethods = (binding: object, count: (method: string, args: ReadonlyArray<unknown>) => void): object =>
  new Proxy(binding, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target)
      if (typeof prop !== "string" || prop === "then" || typeof value !== "function") return value
      return (...args: Array<unknown>) => {
        count(prop, args)
        return Reflect.apply(value as (...a: Array<unknown>) => unknown, target, args)
      }
    }
  })

/** `countingMethods` with a counter per method name; other methods are forwarded uncounted. */
const countingByName = (binding: object, counters: Record<string, (args: ReadonlyArray<unknown>) => void>): object =>
  countingMethods(binding, (method, args) => counters[method]?.(args))

const meteredKv = (kv: Record<string, unknown>): object =>
  countingByName(kv, {
    get: (args) => countCost("kvReads", Array.isArray(args[0]) ? args[0].length : 1),
    getWithMetadata: (args) => countCost("kvReads", Array.isArray(args[0]) ? args[0].length : 1),
    put: () => countCost("kvWrites"),
    delete: () => countCost("kvDeletes"),
    list: () => countCost("kvLists")
  })

const meteredR2 = (bucket: object): object =>
  countingByName(bucket, {
    put: () => countCost("r2ClassA"),
    list: () => countCost("r2ClassA"),
    createMultipartUpload: () => countCost("r2ClassA"),
    resumeMultipartUpload: () => countCost("r2ClassA"),
    get: () => countCost("r2ClassB"),
    head: () => countCost("r2ClassB")
  })

/**
 * A service binding: each method call is one (unbilled) service call, and
 * the callee's counts, which come back inside the RPC envelope (`meter`,
 * contracts/src/rpc.ts), are merged into the caller's unit of work.
 */
const meteredService = (service: object): object =>
  new Proxy(service, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target)
      if (typeof prop !== "string" || prop === "then" || typeof value !== "function") return value
      return async (...args: Array<unknown>) => {
        const meter = currentCostMeter()
        meter?.add("serviceCalls")
        const result: unknown = await Reflect.apply(value as (...a: Array<unknown>) => unknown, target, args)
        if (typeof result === "object" && result !== null && "_tag" in result && "meter" in result) meter?.merge(result.meter)
        return result
      }
    }
  })

// ---- Durable Objects -------------------------------------------------------

interface DurableObjectNamespaceLike {
  get(id: unknown, options?: unknown): object
  getByName?(name: string, options?: unknown): object
}

/** Stub members that are not RPC methods. */
const stubProperties = new Set(["id", "name", "then", "toJSON", "dup", "connect"])

const meteredNamespace = (namespace: DurableObjectNamespaceLike, className: string): object =>
  new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target)
      if (typeof value !== "function") return value
      if (prop === "get" || prop === "getByName") {
        return (...args: Array<unknown>) => meteredStub(Reflect.apply(value as (...a: Array<unknown>) => object, target, args), className)
      }
      return (...args: Array<unknown>) => Reflect.apply(value as (...a: Array<unknown>) => unknown, target, args)
    }
  })

/**
 * A Durable Object stub whose every RPC call counts one request of
 * `className` and runs through the object's `meteredCall` (metered_object.ts),
 * which returns the object's own counts (its SQLite rows, its D1 and KV calls)
 * beside the value. Still exactly one RPC call per method call.
 */
const meteredStub = (stub: object, className: string): object =>
  new Proxy(stub, {
    get(target, prop) {
      if (typeof prop !== "string" || stubProperties.has(prop)) return Reflect.get(target, prop, target)
      const methods = target as Record<string, (...a: Array<unknown>) => Promise<unknown>>
      if (prop === "fetch") {
        return (...args: Array<unknown>) => {
          currentCostMeter()?.addDoRequest(className)
          return methods.fetch!(...args)
        }
      }
      return async (...args: Array<unknown>) => {
        const meter = currentCostMeter()
        meter?.addDoRequest(className)
        const answer = (await methods[meteredCallMethod]!(prop, args)) as { readonly value: unknown; readonly meter?: unknown }
        meter?.merge(answer.meter)
        meter?.addDoRowsWritten(className, (answer.meter as { readonly doRowsWritten?: unknown } | undefined)?.doRowsWritten)
        return answer.value
      }
    }
  })

// ---- D1 --------------------------------------------------------------------

interface D1MetaLike { readonly rows_read?: number; readonly rows_written?: number }
interface D1ResultLike { readonly results?: Array<Record<string, unknown>>; readonly meta?: D1MetaLike }
interface D1StatementLike {
  bind(...values: Array<unknown>): D1StatementLike
  all(): Promise<D1ResultLike>
  run(): Promise<D1ResultLike>
}
interface D1Like {
  prepare(sql: string): D1StatementLike
  batch(statements: Array<D1StatementLike>): Promise<Array<D1ResultLike>>
  exec(sql: string): Promise<unknown>
}

const recordD1 = (result: D1ResultLike | undefined): void => {
  countCost("d1Queries")
  countCost("d1RowsRead", result?.meta?.rows_read ?? 0)
  countCost("d1RowsWritten", result?.meta?.rows_written ?? 0)
}

/** A prepared statement that records D1's row counts for every execution. */
class MeteredStatement {
  readonly inner: D1StatementLike
  constructor(inner: D1StatementLike) {
    this.inner = inner
  }

  bind(...values: Array<unknown>): MeteredStatement {
    return new MeteredStatement(this.inner.bind(...values))
  }

  async all(): Promise<D1ResultLike> {
    const result = await this.inner.all()
    recordD1(result)
    return result
  }

  async run(): Promise<D1ResultLike> {
    const result = await this.inner.run()
    recordD1(result)
    return result
  }

  async first(column?: string): Promise<unknown> {
    const row = (await this.all()).results?.[0] ?? null
    return column === undefined || row === null ? row : (row[column] ?? null)
  }

  async raw(options?: { readonly columnNames?: boolean }): Promise<Array<Array<unknown>>> {
    const rows = (await this.all()).results ?? []
    const values = rows.map((row) => Object.values(row))
    return options?.columnNames === true ? [Object.keys(rows[0] ?? {}), ...values] : values
  }
}

const meteredD1 = (db: D1Like): object =>
  new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => new MeteredStatement(target.prepare(sql))
      if (prop === "batch") {
        return async (statements: Array<D1StatementLike | MeteredStatement>) => {
          const results = await target.batch(statements.map((s) => (s instanceof MeteredStatement ? s.inner : s)))
          for (const result of results) recordD1(result)
          return results
        }
      }
      if (prop === "exec") {
        return (sql: string) => {
          countCost("d1Queries")
          return target.exec(sql)
        }
      }
      const value = Reflect.get(target, prop, target)
      return typeof value === "function" ? (...args: Array<unknown>) => Reflect.apply(value as (...a: Array<unknown>) => unknown, target, args) : value
    }
  })
