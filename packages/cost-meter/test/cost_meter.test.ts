/**
 * The meter switched on (as `npm run bench` does): what it counts, at real
 * local D1, KV and R2 bindings and across the RPC envelope.
 */
import { makeClient, rpcMethod, serve, type RpcInterface } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { Effect, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { CostMeter, withCostMeter } from "../src/cost_meter.ts"
import { meterBindings } from "../src/metered_bindings.ts"
import { meteredEnv } from "../src/metered_env.ts"

// Switches the meter on for this isolate (its `serve` too), as a worker with COST_METER_HEADER=true does.
const metered = meteredEnv({ ...env, COST_METER_HEADER: "true" }, { DB: "d1", KV: "kv", BUCKET: "r2" })

describe("cost meter — counting", () => {
  it("merges a callee's counts, per Durable Object class, and ignores what is not a counter", () => {
    const meter = new CostMeter()
    meter.add("kvReads")
    meter.addDoRequest("SessionStore")
    meter.merge({ kvReads: 2, d1RowsWritten: 3, doRequests: { SessionStore: 1, RateLimiterCounter: 2 }, doRowsWrittenByClass: { SessionStore: 2 } })
    meter.addDoRowsWritten("SessionStore", 1)
    meter.merge({ bogus: 5, kvWrites: "7", doRequests: { X: -1 } })
    meter.merge(null)
    expect(meter.snapshot()).toEqual({
      kvReads: 3,
      d1RowsWritten: 3,
      doRequests: { SessionStore: 2, RateLimiterCounter: 2 },
      doRowsWrittenByClass: { SessionStore: 3 }
    })
  })

  it("an idle unit of work reports nothing", () => {
    expect(new CostMeter().snapshot()).toBeUndefined()
  })

  it("code outside a unit of work counts nowhere (and does not fail)", async () => {
    await metered.KV.get("outside")
  })
})

describe("cost meter — D1 rows come from D1's own meta", () => {
  it("counts statements and the rows D1 reports read and written; first()/raw() answer like the plain binding", async () => {
    await env.DB.exec("CREATE TABLE IF NOT EXISTS meter_rows (id INTEGER PRIMARY KEY, name TEXT)")
    await env.DB.exec("DELETE FROM meter_rows")
    const { result, meter } = await withCostMeter(async () => {
      await metered.DB.prepare("INSERT INTO meter_rows (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')").run()
      const first = await metered.DB.prepare("SELECT name FROM meter_rows WHERE id = ?").bind(2).first<{ name: string }>()
      const column = await metered.DB.prepare("SELECT name FROM meter_rows WHERE id = ?").bind(3).first<string>("name")
      const raw = await metered.DB.prepare("SELECT id, name FROM meter_rows ORDER BY id").raw()
      const [all] = await metered.DB.batch([metered.DB.prepare("SELECT * FROM meter_rows")])
      return { first, column, raw, all: all!.results }
    })
    expect(result.first).toEqual(await env.DB.prepare("SELECT name FROM meter_rows WHERE id = ?").bind(2).first())
    expect(result.column).toBe("c")
    expect(result.raw).toEqual(await env.DB.prepare("SELECT id, name FROM meter_rows ORDER BY id").raw())
    expect(result.all).toHaveLength(3)
    const counts = meter.snapshot()!
    expect(counts.d1Queries).toBe(5)
    expect(counts.d1RowsWritten).toBeGreaterThanOrEqual(3)
    expect(counts.d1RowsRead).toBeGreaterThanOrEqual(3 + 3 + 1 + 1)
  })
})

describe("cost meter — KV and R2 operations", () => {
  it("counts KV reads, writes, deletes and lists, and R2 class A/B operations", async () => {
    const { meter } = await withCostMeter(async () => {
      await metered.KV.put("k", "v")
      await metered.KV.get("k")
      await metered.KV.get("missing")
      await metered.KV.list()
      await metered.KV.delete("k")
      await metered.BUCKET.put("o", "body")
      await metered.BUCKET.head("o")
      await (await metered.BUCKET.get("o"))?.text()
    })
    expect(meter.snapshot()).toEqual({ kvWrites: 1, kvReads: 2, kvLists: 1, kvDeletes: 1, r2ClassA: 1, r2ClassB: 2 })
  })
})

describe("cost meter — across RPC", () => {
  const Contract = { touch: rpcMethod(Schema.Struct({ key: Schema.String }), Schema.Struct({ seen: Schema.Boolean }), Schema.Never) } as const
  class Backend implements RpcInterface<typeof Contract> {
    touch(input: unknown) {
      return serve(Contract.touch, input, ({ key }) =>
        Effect.promise(async () => ({ seen: (await metered.KV.get(key)) !== null })))
    }
  }

  it("a callee's counts come back in the envelope and add up in the caller, beside the service call", async () => {
    const service = meterBindings({ BACKEND: new Backend() }, { BACKEND: "service" })
    const client = makeClient("backend", Contract, service.BACKEND)
    const { meter } = await withCostMeter(() => Effect.runPromise(Effect.zip(client.touch({ key: "a" }), client.touch({ key: "b" }))))
    expect(meter.snapshot()).toEqual({ serviceCalls: 2, kvReads: 2 })
  })

  it("an envelope carries no meter when the callee caused nothing", async () => {
    expect(Object.keys(await new (class implements RpcInterface<typeof Contract> {
      touch(input: unknown) { return serve(Contract.touch, input, () => Effect.succeed({ seen: false })) }
    })().touch({ key: "x" }))).toEqual(["_tag", "value"])
  })
})
