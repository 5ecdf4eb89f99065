/**
 * Contract versions (issue 13 §3): every contract has one, and the RPC
 * envelope carries it both ways — the caller's in the call's meta, the
 * server's in the result — without breaking an old caller or an old server;
 * a caller newer than its server is logged once per isolate, never refused.
 */
import { createExecutionContext } from "cloudflare:test"
import { WorkerEntrypoint } from "cloudflare:workers"
import { Effect, Layer, Schema } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import * as contracts from "../src/index.ts"
import {
  contractVersion, CurrentRequest, KeysAdminContract, KeysAdminContractVersion, makeClient, NotFound, rpcMethod, serve, serveAll, versionOf,
  type CallMeta, type RequestMeta, type RpcInterface
} from "../src/index.ts"
import { contractsOf } from "../src/contract_snapshot.ts"

describe("every contract has a version", () => {
  const found = contractsOf(contracts)

  it("finds the contracts by shape (objects whose values are all rpcMethod records)", () => {
    expect(found.map(([name]) => name)).toEqual(expect.arrayContaining(["KeysAdminContract", "SessionContract", "TokensContract", "IdentityContract", "HealthContract"]))
    expect(found.length).toBeGreaterThan(25)
  })

  it("declares a name and version for each exported contract (contractVersion next to it)", () => {
    const missing = found.filter(([, contract]) => versionOf(contract) === undefined).map(([name]) => name)
    expect(missing).toEqual([])
  })

  it("gives each contract its own name", () => {
    const names = found.map(([, contract]) => versionOf(contract)?.name)
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([])
  })

  it("reads back what the contract file declared", () => {
    expect(versionOf(KeysAdminContract)).toBe(KeysAdminContractVersion)
    expect(KeysAdminContractVersion).toEqual({ name: "keys_admin", version: KeysAdminContractVersion.version })
  })

  it("refuses a version that is not a positive whole number, and versioning a contract twice", () => {
    const contract = { ping: rpcMethod(Schema.Struct({}), Schema.Struct({}), Schema.Never) }
    expect(() => contractVersion(contract, { name: "ping", version: 0 })).toThrow(/positive integer/)
    expect(() => contractVersion(contract, { name: "ping", version: 1.5 })).toThrow(/positive integer/)
    contractVersion(contract, { name: "ping", version: 1 })
    expect(() => contractVersion(contract, { name: "ping", version: 2 })).toThrow(/already versioned/)
  })
})

const methods = {
  find: rpcMethod(Schema.Struct({ id: Schema.String }), Schema.Struct({ id: Schema.String, request: Schema.NullOr(Schema.String) }), NotFound)
}
/** The same methods at three versions of one contract, as three deployed releases would have them. */
const FindV1 = { ...methods }
const FindV2 = { ...methods }
const FindV3 = { ...methods }
contractVersion(FindV1, { name: "find", version: 1 })
contractVersion(FindV2, { name: "find", version: 2 })
contractVersion(FindV3, { name: "find", version: 3 })

const handlers = {
  find: ({ id }: { readonly id: string }) =>
    id === "missing" ? Effect.fail(new NotFound({ what: id })) : Effect.map(CurrentRequest, (r) => ({ id, request: r?.requestId ?? null }))
}
const noLayer = (_env: object) => Layer.empty
class FindV1Service extends serveAll(WorkerEntrypoint<object>, { contracts: [FindV1], layer: noLayer, handlers }) {}
class FindV2Service extends serveAll(WorkerEntrypoint<object>, { contracts: [FindV2], layer: noLayer, handlers }) {}

/** A server that records each call's meta, answering like `inner`. */
const recording = (inner: RpcInterface<typeof methods>) => {
  const seen: Array<CallMeta | undefined> = []
  const binding: RpcInterface<typeof methods> = {
    find: (input, ...meta) => {
      seen.push(meta.length === 0 ? undefined : meta[0])
      return inner.find(input, ...meta)
    }
  }
  return { seen, binding }
}

/** An old server: serves the methods with no version (as before versions existed). */
const oldServer: RpcInterface<typeof methods> = { find: (input, meta) => serve(methods.find, input, handlers.find, meta) }

const request: RequestMeta = { requestId: "req-7", ip: "203.0.113.9", userAgent: "UA" }
const skewLines = (warn: { readonly mock: { readonly calls: ReadonlyArray<ReadonlyArray<unknown>> } }) =>
  warn.mock.calls.map(([line]) => String(line)).filter((line) => line.includes("contract version skew")).map((line) => JSON.parse(line) as Record<string, unknown>)

describe("the RPC envelope carries contract versions (issue 13 §3)", () => {
  afterEach(() => vi.restoreAllMocks())

  it("makeClient sends { contract, version } in the meta, beside the request when there is one", async () => {
    const { seen, binding } = recording(new FindV2Service(createExecutionContext(), {}))
    const client = makeClient("find", FindV2, binding)
    expect(await Effect.runPromise(client.find({ id: "a" }))).toEqual({ id: "a", request: null })
    expect(await Effect.runPromise(client.find({ id: "b" }).pipe(Effect.provideService(CurrentRequest, request)))).toEqual({ id: "b", request: "req-7" })
    expect(seen).toEqual([{ contract: "find", version: 2 }, { ...request, contract: "find", version: 2 }])
  })

  it("an unversioned contract sends what it sent before versions: nothing outside a request, the request inside one", async () => {
    const { seen, binding } = recording(oldServer)
    const client = makeClient("find", methods, binding)
    await Effect.runPromise(client.find({ id: "a" }))
    await Effect.runPromise(client.find({ id: "b" }).pipe(Effect.provideService(CurrentRequest, request)))
    expect(seen).toEqual([undefined, request])
  })

  it("serveAll answers with the server's version, on success and on failure; serve without one answers none", async () => {
    const service = new FindV2Service(createExecutionContext(), {})
    expect(await service.find({ id: "a" })).toEqual({ _tag: "Success", value: { id: "a", request: null }, version: 2 })
    expect(await service.find({ id: "missing" })).toEqual({ _tag: "Failure", error: { _tag: "NotFound", what: "missing" }, version: 2 })
    expect(await oldServer.find({ id: "a" })).toEqual({ _tag: "Success", value: { id: "a", request: null } })
  })

  it("an old caller (no meta, or only the request) gets the same answer, and the request still reaches the handler", async () => {
    const service = new FindV2Service(createExecutionContext(), {})
    expect(await service.find({ id: "a" })).toMatchObject({ _tag: "Success", value: { id: "a", request: null } })
    expect(await service.find({ id: "a" }, request)).toMatchObject({ _tag: "Success", value: { id: "a", request: "req-7" } })
    expect(await service.find({ id: "a" }, { ...request, contract: "find", version: 1 })).toMatchObject({ _tag: "Success", value: { request: "req-7" } })
  })

  it("a versioned caller talks to an old server (no version in its result) and logs nothing", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined)
    const client = makeClient("find", FindV3, oldServer)
    expect(await Effect.runPromise(client.find({ id: "a" }))).toEqual({ id: "a", request: null })
    expect(await Effect.runPromise(Effect.flip(client.find({ id: "missing" })))).toBeInstanceOf(NotFound)
    expect(skewLines(warn)).toEqual([])
  })

  it("a caller newer than its server is served, and logged once per isolate per contract and pair of versions — by each side", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined)
    const client = makeClient("find", FindV2, new FindV1Service(createExecutionContext(), {}))
    for (let i = 0; i < 3; i++) {
      expect(await Effect.runPromise(client.find({ id: `x${i}` }).pipe(Effect.provideService(CurrentRequest, request)))).toEqual({ id: `x${i}`, request: "req-7" })
    }
    expect(skewLines(warn)).toEqual([
      expect.objectContaining({ level: "warn", side: "server", contract: "find", callerVersion: 2, serverVersion: 1, requestId: "req-7" }),
      expect.objectContaining({ level: "warn", side: "caller", contract: "find", callerVersion: 2, serverVersion: 1, method: "find", requestId: "req-7" })
    ])
    // Another pair of versions is another line (per side); the same pair again is none.
    await Effect.runPromise(makeClient("find", FindV3, new FindV1Service(createExecutionContext(), {})).find({ id: "y" }))
    await Effect.runPromise(client.find({ id: "z" }))
    expect(skewLines(warn).map((line) => `${line.side} ${line.callerVersion}>${line.serverVersion}`)).toEqual(["server 2>1", "caller 2>1", "server 3>1", "caller 3>1"])
  })

  it("a caller older than its server is the normal order of a deploy: no log", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined)
    const result = await Effect.runPromise(makeClient("find", FindV1, new FindV2Service(createExecutionContext(), {})).find({ id: "a" }))
    expect(result).toEqual({ id: "a", request: null })
    expect(skewLines(warn)).toEqual([])
  })

  it("a malformed version in a result or a meta is ignored, not a failure", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined)
    const odd: RpcInterface<typeof methods> = {
      find: async (input) => ({ ...(await oldServer.find(input)), version: "2" } as never)
    }
    expect(await Effect.runPromise(makeClient("find", FindV3, odd).find({ id: "a" }))).toEqual({ id: "a", request: null })
    expect(await new FindV1Service(createExecutionContext(), {}).find({ id: "a" }, { contract: "find", version: "9" } as never)).toMatchObject({ _tag: "Success" })
    expect(skewLines(warn)).toEqual([])
  })
})
