/** The request travels across RPC hops: makeClient sends CurrentRequest as the second argument, serve/serveAll provide it back. */
import { createExecutionContext } from "cloudflare:test"
import { WorkerEntrypoint } from "cloudflare:workers"
import { Effect, Layer, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { CurrentRequest, makeClient, rpcMethod, serveAll, type RequestMeta, type RpcInterface } from "../src/index.ts"

const WhoContract = {
  who: rpcMethod(Schema.Struct({}), Schema.NullOr(Schema.Struct({ requestId: Schema.NullOr(Schema.String), ip: Schema.NullOr(Schema.String) })), Schema.Never)
}

class WhoService extends serveAll(WorkerEntrypoint<object>, {
  contracts: [WhoContract],
  layer: (_env: object) => Layer.empty,
  handlers: {
    who: () => Effect.map(CurrentRequest, (r) => r === null ? null : { requestId: r.requestId, ip: r.ip })
  }
}) {}

const meta: RequestMeta = { requestId: "req-1", ip: "203.0.113.7", userAgent: "UA" }

describe("request context over RPC", () => {
  it("is what the caller's CurrentRequest was, through makeClient and serveAll (handler sees it inside the Layer's context)", async () => {
    const service = new WhoService(createExecutionContext(), {})
    const client = makeClient("who", WhoContract, service as unknown as RpcInterface<typeof WhoContract>)
    const seen = await Effect.runPromise(client.who({}).pipe(Effect.provideService(CurrentRequest, meta)))
    expect(seen).toEqual({ requestId: "req-1", ip: "203.0.113.7" })
  })

  it("is null outside a request, for an older caller that sends none, and for a malformed one", async () => {
    const service = new WhoService(createExecutionContext(), {})
    const client = makeClient("who", WhoContract, service as unknown as RpcInterface<typeof WhoContract>)
    expect(await Effect.runPromise(client.who({}))).toBeNull()
    expect(await service.who({})).toEqual({ _tag: "Success", value: null })
    expect(await service.who({}, { requestId: 7 } as never)).toEqual({ _tag: "Success", value: null })
  })
})
