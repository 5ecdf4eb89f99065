/**
 * `serveAll`: one service entrypoint from its contracts, one Layer and one
 * handler per method — in place of a hand-written class method per RPC method.
 *
 * - The Layer (stores, clients, settings of the service) is built once per
 *   isolate and `env` (a `ManagedRuntime` kept per env object), never per call;
 *   a Layer that fails (a missing setting: `Misconfigured`) fails every call
 *   with that error until the isolate restarts. Entrypoints of one worker
 *   given the same `layer` function (a `const`, not an inline arrow) share it.
 * - Each handler is an Effect needing only what the Layer provides; `serve`
 *   (rpc.ts) decodes its input and encodes its outcome as before.
 * - The methods are put on the class prototype, where Workers RPC looks for
 *   them, so the class is a normal `WorkerEntrypoint` to the runtime, to tests
 *   (`new Service(ctx, env)`) and to subclasses (a constructor may still wrap `env`).
 * - With a `METRICS` Analytics Engine binding in `env`, each call writes one
 *   `authrim_service_calls` data point (metrics.ts): service, method, outcome,
 *   duration, and the D1 retries / DO calls counted during it. No binding, no
 *   counting. A throw while writing never reaches the caller.
 * - Each method answers with its contract's version (contract_version.ts) in
 *   the envelope, and compares it with the caller's (rpc.ts `serve`).
 */
import { Effect, ManagedRuntime, type Layer } from "effect"
import type { Misconfigured } from "./errors.ts"
import { serve, type RpcContract, type RpcInterface } from "./rpc.ts"
import { newCallCounts } from "./call_counters.ts"
import { versionOf } from "./contract_version.ts"
import { outcomeTagOf, serviceCallDataPoint, writeDataPoint, type MetricsBinding } from "./metrics.ts"

/** What a service implements for contract `C`, using the services `R` its Layer provides. */
export type RpcHandlers<C extends RpcContract, R> = {
  readonly [K in keyof C]: (
    input: C[K]["input"]["Type"]
  ) => Effect.Effect<C[K]["success"]["Type"], C[K]["failure"]["Type"] | Misconfigured, R>
}

type Intersect<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never

/** Handlers of every contract in `Cs`. */
export type HandlersOf<Cs extends ReadonlyArray<RpcContract>, R> = Intersect<{ [I in keyof Cs]: RpcHandlers<Cs[I], R> }[number]>

/** The RPC interface of every contract in `Cs` (what the entrypoint exposes). */
export type InterfaceOf<Cs extends ReadonlyArray<RpcContract>> = Intersect<{ [I in keyof Cs]: RpcInterface<Cs[I]> }[number]>

/** A service as `serveAll` takes it. */
export interface ServiceDefinition<Env, R, Cs extends ReadonlyArray<RpcContract>> {
  /** The service's name in its metrics; default: the entrypoint class's name without "Service", lower case (`IdentityService` → "identity"). */
  readonly name?: string
  readonly contracts: Cs
  /** Everything the handlers need, from the worker's env (annotate `env`: it gives the class its Env). Built once per isolate and env. */
  readonly layer: (env: Env) => Layer.Layer<R, Misconfigured>
  readonly handlers: HandlersOf<Cs, R>
}

/**
 * One `ManagedRuntime` of `layer(env)` per env object — the Layer is built once
 * per isolate and env, at first use. Every boundary of a worker (RPC methods
 * through `serveAll`, a queue or cron handler, the edge's fetch) runs its
 * program on the runtime this gives.
 */
export const runtimePerEnv = <Env, R, E>(layer: (env: Env) => Layer.Layer<R, E>) => {
  const runtimes = new WeakMap<object, ManagedRuntime.ManagedRuntime<R, E>>()
  return (env: Env): ManagedRuntime.ManagedRuntime<R, E> => {
    const key = env as object
    let runtime = runtimes.get(key)
    if (runtime === undefined) {
      runtime = ManagedRuntime.make(layer(env))
      runtimes.set(key, runtime)
    }
    return runtime
  }
}

/**
 * `runtimePerEnv(layer)`, one per layer function: several entrypoints of one
 * worker (one per caller role, each `serveAll` with the same `layer` function)
 * share one runtime per isolate and env instead of building the Layer each.
 */
const runtimesByLayer = new WeakMap<object, (env: never) => ManagedRuntime.ManagedRuntime<unknown, unknown>>()
const sharedRuntimePerEnv = <Env, R, E>(layer: (env: Env) => Layer.Layer<R, E>): ((env: Env) => ManagedRuntime.ManagedRuntime<R, E>) => {
  const known = runtimesByLayer.get(layer)
  if (known !== undefined) return known as (env: Env) => ManagedRuntime.ManagedRuntime<R, E>
  const runtimeOf = runtimePerEnv(layer)
  runtimesByLayer.set(layer, runtimeOf as (env: never) => ManagedRuntime.ManagedRuntime<unknown, unknown>)
  return runtimeOf
}

/** What an entrypoint class is constructed with (a `WorkerEntrypoint<Env>`). */
type EntrypointClass<Env> = abstract new (ctx: ExecutionContext, env: Env) => object

/** `IdentityService` → "identity", `RateLimitService` → "ratelimit". */
export const serviceNameOfClass = (className: string): string => className.replace(/Service$/, "").toLowerCase() || "unknown"

/**
 * `class XService extends serveAll(WorkerEntrypoint<XEnv>, { contracts: [XContract], layer, handlers }) {}`.
 * Throws at load time when two contracts name the same method (one of them would be unreachable).
 */
export const serveAll = <Env, R, const Cs extends ReadonlyArray<RpcContract>, B extends EntrypointClass<Env>>(
  Base: B,
  service: ServiceDefinition<Env, R, Cs>
): (abstract new (ctx: ExecutionContext, env: Env) => InstanceType<B> & InterfaceOf<Cs>) => {
  const runtimeOf = sharedRuntimePerEnv(service.layer)
  // Extended through its non-generic constructor type: a generic base would make this a TS mixin (`...any[]`).
  const Parent: EntrypointClass<Env> = Base
  abstract class Entrypoint extends Parent {}
  const handlers = service.handlers as Record<string, (input: unknown) => Effect.Effect<unknown, unknown, R>>
  const seen = new Set<string>()
  let servedInIsolate = false
  for (const contract of service.contracts) {
    const served = versionOf(contract)
    for (const [name, method] of Object.entries(contract)) {
      if (seen.has(name)) throw new Error(`serveAll: method ${name} is in two contracts`)
      seen.add(name)
      const handler = handlers[name]
      if (handler === undefined) throw new Error(`serveAll: no handler for ${name}`)
      Object.defineProperty(Entrypoint.prototype, name, {
        configurable: true,
        writable: true,
        value: function(this: { readonly env: Env }, input: unknown, meta?: unknown) {
          const runtime = runtimeOf(this.env)
          const program = (decoded: unknown) =>
            Effect.flatMap(runtime.contextEffect, (context) => Effect.provideContext(handler(decoded), context)) as Effect.Effect<never, never>
          const dataset = (this.env as MetricsBinding | undefined)?.METRICS
          if (dataset === undefined) return serve(method, input, program, meta, undefined, served)
          const counts = newCallCounts()
          const started = Date.now()
          const coldIsolate = !servedInIsolate
          servedInIsolate = true
          const serviceName = service.name ?? serviceNameOfClass((this as object).constructor.name)
          const record = (outcome: string) =>
            writeDataPoint(dataset, serviceCallDataPoint({ service: serviceName, method: name, outcome, durationMs: Date.now() - started, counts, coldIsolate }))
          return serve(method, input, program, meta, counts, served).then(
            (result) => (record(outcomeTagOf(result)), result),
            (defect: unknown) => {
              record("Defect")
              throw defect
            }
          )
        }
      })
    }
  }
  return Entrypoint as never
}
