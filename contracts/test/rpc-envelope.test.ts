import { Effect, Exit, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Misconfigured, NotFound, OAuthError, RpcFailure } from "../src/errors.ts"
import { authrimEnvOf, isDevelopment, misconfigured, requiredSetting } from "../src/deployment.ts"
import { toWireError } from "../src/oauth-wire.ts"
import { makeClient, rpcMethod, serve, type RpcInterface } from "../src/rpc.ts"

const Contract = {
  lookup: rpcMethod(Schema.Struct({ id: Schema.String }), Schema.Struct({ name: Schema.String }), Schema.Union([NotFound, OAuthError]))
} as const

class Backend implements RpcInterface<typeof Contract> {
  lookup(input: unknown) {
    return serve(Contract.lookup, input, ({ id }) =>
      id === "1" ? Effect.succeed({ name: "one" })
        : id === "boom" ? Effect.die(new Error("bug"))
        : id === "unconfigured" ? requiredSetting("backend", "SOME_SECRET", undefined).pipe(Effect.as({ name: "configured" }))
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

describe("Misconfigured through the envelope (issue 9 §1)", () => {
  const client = makeClient("backend", Contract, new Backend())

  it("any method may fail with it, though no contract lists it; the caller gets the tagged error back", async () => {
    expect(await new Backend().lookup({ id: "unconfigured" })).toEqual({
      _tag: "Failure", error: { _tag: "Misconfigured", service: "backend", setting: "SOME_SECRET", reason: "is not set" }
    })
    const error = await Effect.runPromise(Effect.flip(client.lookup({ id: "unconfigured" })))
    expect(error).toBeInstanceOf(Misconfigured)
  })

  it("renders as 503 server_error naming the setting (never a fallback, never a bare 500)", () => {
    expect(toWireError(misconfigured("identity", "MFA_ENCRYPTION_KEY"))).toEqual({
      code: "server_error", status: 503, description: "configuration error: MFA_ENCRYPTION_KEY is not set (authrim-identity)"
    })
  })
})

describe("AUTHRIM_ENV — development only when it says so", () => {
  it("unset, empty, unknown or differently cased values are production", () => {
    for (const value of [undefined, "", "production", "Development", "dev", "staging", " development "]) {
      expect(authrimEnvOf({ AUTHRIM_ENV: value })).toBe(value?.trim() === "development" ? "development" : "production")
    }
    expect(isDevelopment({ AUTHRIM_ENV: "development" })).toBe(true)
    expect(isDevelopment({})).toBe(false)
  })

  it("a required setting has no default: blank is unset", () => {
    expect(Effect.runSync(Effect.flip(requiredSetting("edge", "ISSUER", "  ")))).toMatchObject({ _tag: "Misconfigured", setting: "ISSUER" })
    expect(Effect.runSync(requiredSetting("edge", "ISSUER", " https://id.example.com "))).toBe("https://id.example.com")
  })
})
