import { Effect, Exit, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { NotFound, OAuthError, RpcFailure } from "../src/errors.ts"
import { makeClient, rpcMethod, serve, type RpcInterface } from "../src/rpc.ts"

const Contract = {
  lookup: rpcMethod(Schema.Struct({ id: Schema.String }), Schema.Struct({ name: Schema.String }), Schema.Union([NotFound, OAuthError]))
} as const

class Backend implements RpcInterface<typeof Contract> {
  lookup(input: unknown) {
    return serve(Contract.lookup, input, ({ id }) =>
      id === "1" ? Effect.succeed({ name: "one" })
        : id === "boom" ? Effect.die(new Error("bug"))
        : Effect.fail(new NotFound({ what: `record ${id}` })))
  }
}

describe("RPC envelope", () => {
  const client = makeClient("backend", Contract, new Backend())

  it("carries success values", async () => {
    expect(await Effect.runPromise(client.lookup({ id: "1" }))).toEqual({ name: "one" })
  })

  it("carries typed failures as values that decode back into tagged errors", async () => {
    const result = await new Backend().lookup({ id: "2" })
    expect(result).toEqual({ _tag: "Failure", error: { _tag: "NotFound", what: "record 2" } })
    const exit = await Effect.runPromiseExit(client.lookup({ id: "2" }))
    const error = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
    expect(error && "error" in error ? error.error : undefined).toBeInstanceOf(NotFound)
  })

  it("turns a backend defect into RpcFailure on the caller side", async () => {
    const error = await Effect.runPromise(Effect.flip(client.lookup({ id: "boom" })))
    expect(error).toBeInstanceOf(RpcFailure)
  })

  it("accepts unknown extra fields (additive contract changes)", async () => {
    expect(await new Backend().lookup({ id: "1", addedLater: true } as { id: string })).toEqual({ _tag: "Success", value: { name: "one" } })
  })
})
