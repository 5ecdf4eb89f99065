/**
 * Cost meter at the edge (issue 5): each HTTP request is one unit of work —
 * one billed Worker request plus whatever the backends report back through
 * their RPC envelopes. With `COST_METER_HEADER=true` the counts are sent as
 * `x-authrim-cost` (JSON `CostCounts`), which is how `npm run bench` reads the
 * bill of every scenario. Off by default: the header tells a client how much
 * work its request caused, which production has no reason to reveal.
 */
import { countCost, meterBindings, withCostMeter } from "@authrim/contracts"
import { edgeBindingMeters, type ServiceEnv } from "../env.ts"

/** Name of the response header carrying the counts. */
export const costHeaderName = "x-authrim-cost"

/** Runs `handle` with a fresh meter and metered bindings; adds the header when enabled. */
export const meteredRequest = async (
  env: ServiceEnv,
  handle: (env: ServiceEnv) => Promise<Response>
): Promise<Response> => {
  const { result: response, meter } = await withCostMeter(() => {
    countCost("workerRequests")
    return handle(meterBindings(env, edgeBindingMeters))
  })
  if (env.COST_METER_HEADER !== "true") return response
  // Some responses (Response.redirect) have immutable headers: copy before adding one.
  const copy = new Response(response.body, response)
  copy.headers.set(costHeaderName, JSON.stringify(meter.snapshot() ?? {}))
  return copy
}
