/**
 * Issue 10 §3 — instrumentation off the request path. With the meter off (no
 * `COST_METER_HEADER=true`, as in production) a worker gets its raw bindings
 * (no Proxy), `serve` opens no AsyncLocalStorage scope, and a Durable Object
 * keeps workerd's own `sql.exec`. Each observation is also made with the
 * meter on, to show it can fail.
 */
/// <reference path="../types/node_async_hooks.d.ts" />
import { instrumentServe, rpcMethod, serve } from "@authrim/contracts"
import { env, runInDurableObject } from "cloudflare:test"
import { Effect, Schema } from "effect"
import { AsyncLocalStorage } from "node:async_hooks"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { countCost, withCostMeter } from "../src/cost_meter.ts"
import { meteredEnv } from "../src/metered_env.ts"
import type { MeteredAnswer } from "../src/metered_object.ts"

const spec = { DB: "d1", KV: "kv", BUCKET: "r2" } as const
const Touch = rpcMethod(Schema.Struct({ key: Schema.String }), Schema.Struct({ ok: Schema.Boolean }), Schema.Never)
/** A backend method whose program counts one KV read where the meter, if any, is looking. */
const touch = () => serve(Touch, { key: "k" }, () => Effect.sync(() => { countCost("kvReads"); return { ok: true } }))

describe("cost meter off — the worker's own bindings", () => {
  it("meteredEnv answers the very env it was given, and its bindings are the raw objects", () => {
    const off = { ...env, COST_METER_HEADER: undefined }
    const seen = meteredEnv(off, spec)
    expect(seen).toBe(off)
    expect(seen.DB).toBe(env.DB)
    expect(seen.KV).toBe(env.KV)
    expect(seen.BUCKET).toBe(env.BUCKET)
  })

  it("only the exact string \"true\" switches it on (safe by default)", () => {
    for (const setting of ["", "1", "TRUE", "yes", "false"]) {
      const off = { ...env, COST_METER_HEADER: setting }
      expect(meteredEnv(off, spec)).toBe(off)
    }
    const on = meteredEnv({ ...env, COST_METER_HEADER: "true" }, spec)
    expect(on.KV).not.toBe(env.KV)
    expect(on.DB).not.toBe(env.DB)
  })
})

describe("cost meter off — serve", () => {
  // A fresh isolate of a worker whose meter is off: nothing ever installed the instrumentation.
  beforeEach(() => instrumentServe(undefined))
  afterEach(() => {
    instrumentServe(undefined)
    vi.restoreAllMocks()
  })

  it("does not enter AsyncLocalStorage: no scope opened, what the program counts lands in the caller's scope, no meter in the envelope", async () => {
    const run = vi.spyOn(AsyncLocalStorage.prototype, "run")
    const envelope = await touch()
    expect(run).not.toHaveBeenCalled()
    expect(envelope).toEqual({ _tag: "Success", value: { ok: true } })
    // Inside a caller's own unit of work, serve adds no unit of its own: the count is the caller's.
    const { result, meter } = await withCostMeter(touch)
    expect(result).toEqual({ _tag: "Success", value: { ok: true } })
    expect(meter.snapshot()).toEqual({ kvReads: 1 })
  })

  it("with the meter on, the same call is a unit of work of its own, reported in the envelope", async () => {
    meteredEnv({ ...env, COST_METER_HEADER: "true" }, spec)
    const run = vi.spyOn(AsyncLocalStorage.prototype, "run")
    const { result, meter } = await withCostMeter(touch)
    expect(run).toHaveBeenCalledTimes(2)
    expect(result).toEqual({ _tag: "Success", value: { ok: true }, meter: { kvReads: 1 } })
    expect(meter.snapshot()).toBeUndefined()
  })
})

describe("cost meter off — a Durable Object (MeteredDurableObject)", () => {
  const stubFor = (name: string) => env.COUNTER.get(env.COUNTER.idFromName(name))

  it("is called directly, keeps its raw bindings and workerd's own sql.exec", async () => {
    const stub = stubFor("plain")
    expect(await stub.hit("a")).toBe(1)
    expect(await stub.hit("a")).toBe(2)
    await runInDurableObject(stub, (instance, state) => {
      expect(instance.constructedWith.DB).toBe(env.DB)
      expect(Object.hasOwn(state.storage.sql, "exec")).toBe(false)
    })
  })

  it("answers a metering caller through the one meteredCall of the base class (which instruments its storage from then on)", async () => {
    const stub = stubFor("metered")
    // Rpc types an `unknown` value as never: read the answer as what meteredCall declares (as the service tests do).
    const answer = (await stub.meteredCall("hit", ["a"])) as unknown as MeteredAnswer
    expect(answer.value).toBe(1)
    expect(answer.meter?.doRowsWritten).toBeGreaterThanOrEqual(1)
    await runInDurableObject(stub, (_, state) => {
      expect(Object.hasOwn(state.storage.sql, "exec")).toBe(true)
    })
  })
})
