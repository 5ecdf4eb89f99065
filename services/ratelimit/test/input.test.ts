import { createExecutionContext } from "cloudflare:test"
import { env, exports } from "cloudflare:workers"
import { makeClient, RateLimitContract, RpcFailure, toWireError } from "@authrim/contracts"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { RateLimitForEdge } from "../src/rate_limit_service.ts"
import { check } from "./ratelimit_harness.ts"

const invalid = [
  { what: "empty key", input: { key: "", limit: 10, windowSeconds: 60 } },
  { what: "limit 0", input: { key: "bad:limit0", limit: 0, windowSeconds: 60 } },
  { what: "negative limit", input: { key: "bad:limitneg", limit: -1, windowSeconds: 60 } },
  { what: "fractional limit", input: { key: "bad:limitfrac", limit: 1.5, windowSeconds: 60 } },
  { what: "window 0", input: { key: "bad:window0", limit: 10, windowSeconds: 0 } },
  { what: "negative window", input: { key: "bad:windowneg", limit: 10, windowSeconds: -60 } },
  { what: "NaN window", input: { key: "bad:windownan", limit: 10, windowSeconds: Number.NaN } },
  { what: "key past 512 chars", input: { key: "k".repeat(513), limit: 10, windowSeconds: 60 } },
  { what: "negative cost", input: { key: "bad:costneg", limit: 10, windowSeconds: 60, cost: -1 } },
  { what: "fractional cost", input: { key: "bad:costfrac", limit: 10, windowSeconds: 60, cost: 0.5 } },
  { what: "cost past 1000", input: { key: "bad:costbig", limit: 10, windowSeconds: 60, cost: 1001 } }
]

describe("RateLimitForEdge.check — invalid input is refused, never counted", () => {
  it.each(invalid)("a caller's client refuses to send $what, and the edge would answer 503 not 500", async ({ input }) => {
    const client = makeClient("ratelimit", RateLimitContract, exports.RateLimitForEdge)
    const error = await Effect.runPromise(Effect.flip(client.check(input)))
    expect(error).toBeInstanceOf(RpcFailure)
    expect(toWireError(error).status).toBe(503)
  })

  // Called in-process: a rejecting loopback RPC leaks a spurious unhandled rejection under
  // vitest-pool-workers (cloudflare/workers-sdk#14736), so the raw path is exercised on the class itself.
  it.each(invalid)("the entrypoint refuses $what sent raw, without counting it", async ({ input }) => {
    const service = new RateLimitForEdge(createExecutionContext(), env)
    await expect(service.check(input)).rejects.toThrow()
    if (input.key !== "" && input.key.length <= 512) {
      expect(await check({ key: input.key, limit: 10, windowSeconds: 60 })).toMatchObject({ current: 1 })
    }
  })
})
