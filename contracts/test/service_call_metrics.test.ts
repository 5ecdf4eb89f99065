/** Structured log lines carry the caller's request id; serveAll writes one Analytics Engine point per call (issue 11 §4). */
import { createExecutionContext } from "cloudflare:test"
import { WorkerEntrypoint } from "cloudflare:workers"
import { Effect, Layer, Schema } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import {
  logger,
  logLine,
  newCallCounts,
  NotFound,
  outcomeTagOf,
  rpcMethod,
  serveAll,
  serviceCallDataPoint,
  serviceNameOfClass,
  tryD1,
  Unavailable,
  writeDataPoint,
  type MetricsDataset
} from "../src/index.ts"

const WorkContract = {
  work: rpcMethod(Schema.Struct({ flakyD1: Schema.Number }), Schema.Struct({ ok: Schema.Boolean }), Schema.Union([NotFound, Unavailable])),
  missing: rpcMethod(Schema.Struct({ id: Schema.String }), Schema.Struct({ id: Schema.String }), NotFound)
}

interface WorkEnv { readonly METRICS?: MetricsDataset }

const log = logger("work")

class WorkService extends serveAll(WorkerEntrypoint<WorkEnv>, {
  contracts: [WorkContract],
  layer: (_env: WorkEnv) => Layer.empty,
  handlers: {
    work: Effect.fnUntraced(function*({ flakyD1 }: { readonly flakyD1: number }) {
      yield* log.info("working", { flakyD1 })
      let failures = flakyD1
      // a D1 call failing transiently `flakyD1` times, then answering: tryD1 retries it
      yield* tryD1("work", "select", () => failures-- > 0 ? Promise.reject(new Error("D1_ERROR: Network connection lost.")) : Promise.resolve(1))
      return { ok: true }
    }),
    missing: ({ id }) => Effect.fail(new NotFound({ what: id }))
  }
}) {}

const recordingDataset = () => {
  const points: Array<Parameters<MetricsDataset["writeDataPoint"]>[0]> = []
  return { points, dataset: { writeDataPoint: (point) => void points.push(point) } satisfies MetricsDataset }
}

const meta = { requestId: "ray-1234-NRT", ip: "198.51.100.7", userAgent: "test" }

afterEach(() => {
  vi.restoreAllMocks()
})

describe("structured logs", () => {
  it("writes one JSON object per line with level, msg, service and requestId", () => {
    const line = JSON.parse(logLine("warn", "tokens", "slow", "r-1", { ms: 12, level: "ignored", error: new Error("boom") }))
    expect(line).toEqual({ level: "warn", msg: "slow", service: "tokens", requestId: "r-1", ms: 12, error: { name: "Error", message: "boom" } })
  })

  it("a line written inside a served RPC call carries the caller's request id", async () => {
    const lines: Array<string> = []
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line))
    const service = new WorkService(createExecutionContext(), {})
    expect(await service.work({ flakyD1: 0 }, meta)).toEqual({ _tag: "Success", value: { ok: true } })
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ level: "info", msg: "working", service: "work", requestId: "ray-1234-NRT", flakyD1: 0 }])
  })

  it("outside a request the id is null", async () => {
    const lines: Array<string> = []
    vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line))
    await Effect.runPromise(log.error("cron failed"))
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "error", service: "work", requestId: null })
  })
})

describe("service call data points", () => {
  it("composes index, blobs and doubles from the call", () => {
    const counts = { ...newCallCounts(), d1Retries: 2, durableObjectCalls: 3 }
    expect(serviceCallDataPoint({ service: "tokens", method: "exchangeCode", outcome: "InvalidGrant", durationMs: 41, counts })).toEqual({
      indexes: ["tokens.exchangeCode"],
      blobs: ["tokens", "exchangeCode", "InvalidGrant"],
      doubles: [41, 2, 3, 0]
    })
  })

  it("tags an outcome by the envelope", () => {
    expect(outcomeTagOf({ _tag: "Success", value: 1 })).toBe("Success")
    expect(outcomeTagOf({ _tag: "Failure", error: { _tag: "NotFound", what: "x" } })).toBe("NotFound")
    expect(outcomeTagOf(undefined)).toBe("Defect")
  })

  it("names a service from its entrypoint class", () => {
    expect(serviceNameOfClass("IdentityService")).toBe("identity")
    expect(serviceNameOfClass("RateLimitService")).toBe("ratelimit")
  })

  it("writes one point per call with the D1 retries it made, and the outcome tag", async () => {
    const { points, dataset } = recordingDataset()
    const service = new WorkService(createExecutionContext(), { METRICS: dataset })
    vi.spyOn(console, "log").mockImplementation(() => {})
    expect(await service.work({ flakyD1: 2 }, meta)).toEqual({ _tag: "Success", value: { ok: true } })
    expect(await service.missing({ id: "x" })).toMatchObject({ _tag: "Failure" })
    expect(points).toHaveLength(2)
    expect(points[0]).toMatchObject({ indexes: ["work.work"], blobs: ["work", "work", "Success"] })
    expect(points[0]!.doubles![1]).toBe(2) // two retries
    expect(points[0]!.doubles![2]).toBe(0)
    expect(points[0]!.doubles![3]).toBe(1) // the class's first call in this isolate
    expect(points[1]!.doubles![3]).toBe(0)
    expect(points[1]).toMatchObject({ indexes: ["work.missing"], blobs: ["work", "missing", "NotFound"] })
    expect(points[1]!.doubles![1]).toBe(0)
  })

  it("a dataset that throws never fails the call", async () => {
    const service = new WorkService(createExecutionContext(), { METRICS: { writeDataPoint: () => { throw new Error("quota") } } })
    expect(await service.missing({ id: "y" })).toMatchObject({ _tag: "Failure", error: { _tag: "NotFound" } })
    expect(() => writeDataPoint({ writeDataPoint: () => { throw new Error("x") } }, { indexes: [], blobs: [], doubles: [] })).not.toThrow()
  })
})
