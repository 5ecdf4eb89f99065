/**
 * Cost meter at the edge (issue 5): each HTTP request is one unit of work —
 * one billed Worker request plus whatever the backends report back through
 * their RPC envelopes. With `COST_METER_HEADER=true` the counts are sent as
 * `x-authrim-cost` (JSON `CostCounts`), which is how `npm run bench` reads the
 * bill of every scenario. Off by default: the header tells a client how much
 * work its request caused, which production has no reason to reveal — and
 * off, the request runs with the raw bindings and no meter scope at all
 * (issue 10 §3: instrumentation costs nothing when it is off).
 */
import { costMeterOn, countCost, meteredEnv, withCostMeter } from "@authrim/cost-meter"
import { edgeBindingMeters, type ServiceEnv } from "../env.ts"

/** Name of the response header carrying the counts. */
export const costHeaderName = "x-authrim-cost"

/** Runs `handle` with `env` as it is when the meter is off; on, with a fresh meter, metered bindings and the header. */
export const meteredRequest = async (
  env: ServiceEnv,
  handle: (env: ServiceEnv) => Promise<Response>
): Promise<Response> => {
  if (!costMeterOn(env)) return handle(env)
  const { result: response, meter } = await withCostMeter(() => {
    countCost("workerRequests")
    return handle(meteredEnv(env, edgeBindingMeters))
  })
  // Some responses (Response.redirect) have immutable headers: copy before adding one.
  const copy = new Response(response.body, response)
  copy.headers.set(costHeaderName, JSON.stringify(meter.snapshot() ?? {}))
  return copy
}
