/** The ratelimit service's Analytics Engine point per RPC call counts its Durable Object calls (issue 11 §4). */
import { createExecutionContext } from "cloudflare:test"
import { env } from "cloudflare:workers"
import type { MetricsDataset } from "@authrim/contracts"
import { describe, expect, it } from "vitest"
import { RateLimitForEdge } from "../src/rate_limit_service.ts"

type Point = Parameters<MetricsDataset["writeDataPoint"]>[0]

describe("authrim_service_calls point", () => {
  it("one point per call: ratelimit.check, Success, one shard call", async () => {
    const points: Array<Point> = []
    const service = new RateLimitForEdge(createExecutionContext(), { ...env, METRICS: { writeDataPoint: (p) => void points.push(p) } })
    const result = await service.check({ key: `metrics:${crypto.randomUUID()}`, limit: 5, windowSeconds: 60 })
    expect(result._tag).toBe("Success")
    expect(points).toHaveLength(1)
    expect(points[0]).toMatchObject({ indexes: ["ratelimit.check"], blobs: ["ratelimit", "check", "Success"] })
    const [duration, d1Retries, durableObjectCalls] = points[0]!.doubles!
    expect(duration).toBeGreaterThanOrEqual(0)
    expect(d1Retries).toBe(0)
    expect(durableObjectCalls).toBe(1)
  })
})
