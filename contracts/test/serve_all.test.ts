import { createExecutionContext } from "cloudflare:test"
import { WorkerEntrypoint } from "cloudflare:workers"
import { Context, Effect, Layer, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { misconfigured, NotFound, rpcMethod, serveAll } from "../src/index.ts"

const EchoContract = {
  echo: rpcMethod(Schema.Struct({ text: Schema.String }), Schema.Struct({ text: Schema.String }), NotFound),
  find: rpcMethod(Schema.Struct({ id: Schema.String }), Schema.Struct({ id: Schema.String }), NotFound)
}
const CountContract = {
  length: rpcMethod(Schema.Struct({ text: Schema.String }), Schema.Number, Schema.Never)
}

class Prefix extends Context.Service<Prefix, { readonly value: string }>()("test/Prefix") {}

interface TestEnv { readonly PREFIX?: string }

let builds = 0

class EchoService extends serveAll(WorkerEntrypoint<TestEnv>, {
  contracts: [EchoContract, CountContract],
  layer: (env: TestEnv) =>
    Layer.effect(Prefix, Effect.suspend(() => {
      builds++
      return env.PREFIX === undefined ? Effect.fail(misconfigured("test", "PREFIX", "not set")) : Effect.succeed({ value: env.PREFIX })
    })),
  handlers: {
    echo: ({ text }) => Effect.gen(function*() {
      const prefix = yield* Prefix
      return { text: `${prefix.value}${text}` }
    }),
    find: ({ id }) => Effect.fail(new NotFound({ what: `thing ${id}` })),
    length: ({ text }) => Effect.succeed(text.length)
  }
}) {}

describe("serveAll", () => {
  it("puts every contract method on the prototype, where Workers RPC looks for it", () => {
    const own = Object.getOwnPropertyNames(Object.getPrototypeOf(EchoService.prototype))
    expect(own).toEqual(expect.arrayContaining(["echo", "find", "length"]))
  })

  it("decodes, runs the handler with the Layer's services and encodes the outcome", async () => {
    const service = new EchoService(createExecutionContext(), { PREFIX: "> " })
    expect(await service.echo({ text: "hi" })).toEqual({ _tag: "Success", value: { text: "> hi" } })
    expect(await service.length({ text: "four" })).toEqual({ _tag: "Success", value: 4 })
    expect(await service.find({ id: "7" })).toEqual({ _tag: "Failure", error: { _tag: "NotFound", what: "thing 7" } })
    await expect(service.echo({ text: 42 } as never)).rejects.toThrow()
  })

  it("builds the Layer once per env, however many calls and instances", async () => {
    const env = { PREFIX: "" }
    const before = builds
    await Promise.all(Array.from({ length: 10 }, (_, i) => new EchoService(createExecutionContext(), env).echo({ text: String(i) })))
    expect(builds - before).toBe(1)
    await new EchoService(createExecutionContext(), { PREFIX: "" }).echo({ text: "other env" })
    expect(builds - before).toBe(2)
  })

  it("answers every call with Misconfigured when the Layer cannot be built", async () => {
    const result = await new EchoService(createExecutionContext(), {}).echo({ text: "x" })
    expect(result).toMatchObject({ _tag: "Failure", error: { _tag: "Misconfigured", setting: "PREFIX" } })
  })

  it("refuses two contracts that name the same method", () => {
    expect(() => serveAll(WorkerEntrypoint<TestEnv>, { contracts: [EchoContract, EchoContract], layer: (_env: TestEnv) => Layer.empty, handlers: {} as never })).toThrow(/echo/)
  })
})
