/**
 * The switch of the cost meter (issue 10 §3). A worker's meter is on when
 * its env says `COST_METER_HEADER=true` — `npm run bench` and the edge tests
 * set it on every worker (bench/authrim_vars.ts); the committed configs never
 * do. Off, as in production, the meter costs nothing per request:
 * `meteredEnv` answers the env it was given (the raw bindings, no Proxy),
 * `serve` runs its program with no scope around it (no AsyncLocalStorage),
 * and no Durable Object's storage is instrumented.
 *
 * Each entrypoint and Durable Object constructor calls `meteredEnv(env, spec)`
 * once; a worker's settings are fixed for its isolate, so switching `serve`
 * on there is switching it for the isolate.
 */
import { instrumentServe, type ServeInstrumentation } from "@authrim/contracts"
import { withCostMeter } from "./cost_meter.ts"
import { meterBindings, type BindingMeterSpec } from "./metered_bindings.ts"

/** The setting, as every worker's env declares it. */
export interface CostMeterSetting {
  /** "true": this worker counts what it costs and reports it to its caller (the edge: in the `x-authrim-cost` header). */
  readonly COST_METER_HEADER?: string | undefined
}

/** Whether the meter is on for a worker with `env`: only the exact string "true" (safe by default). */
export const costMeterOn = (env: CostMeterSetting): boolean => env.COST_METER_HEADER === "true"

/** `serve` with the meter on: each call is a unit of work whose counts go back in the envelope. */
const meteredServe: ServeInstrumentation = async (work) => {
  const { result, meter } = await withCostMeter(work)
  return { result, meter: meter.snapshot() }
}

/**
 * `env` as a worker's code should use it: itself when the meter is off; with
 * it on, the bindings named in `spec` counted (metered_bindings.ts) and this
 * isolate's `serve` metered.
 */
export const meteredEnv = <E extends CostMeterSetting>(env: E, spec: BindingMeterSpec): E => {
  if (!costMeterOn(env)) return env
  instrumentServe(meteredServe)
  // One wrapper per env (it counts into whichever unit of work is running), so what is built
  // once per env — a service's Layer (serveAll) — is built once with the meter on too.
  let wrapped = wrappers.get(env)
  if (wrapped === undefined) {
    wrapped = meterBindings(env, spec)
    wrappers.set(env, wrapped)
  }
  return wrapped as E
}

const wrappers = new WeakMap<object, object>()
