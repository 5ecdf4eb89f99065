/**
 * Bench-only driver (bench/scale/memory.ts starts it beside the session and
 * ratelimit services): turns a POSTed batch into real RPCs on the service
 * entrypoints, a few in flight at a time. It keeps nothing itself, so the
 * memory measured in the services' isolates is theirs alone.
 */

/** The RPC envelope every backend method answers (contracts/src/rpc.ts). */
type Envelope = { readonly _tag: "Success" | "Failure"; readonly error?: unknown }

/** Encoded input of `SessionForEdge.create` (contracts/src/session.ts). */
export interface SessionCreateInput {
  readonly userId: string
  readonly amr: ReadonlyArray<string>
  readonly acr: string | null
  readonly authTime: number
  readonly deviceName: string | null
  readonly ipAddress: string | null
  readonly userAgent: string | null
}

/** Encoded input of `RateLimitForEdge.check` (contracts/src/ratelimit.ts). */
export interface RateLimitCheckInput {
  readonly key: string
  readonly limit: number
  readonly windowSeconds: number
  readonly cost?: number
}

interface DriverEnv {
  readonly SESSION: {
    create(input: SessionCreateInput): Promise<Envelope>
    listForUser(input: { userId: string }): Promise<Envelope>
    get(input: { sessionId: string }): Promise<Envelope>
  }
  readonly RATELIMIT: { check(input: RateLimitCheckInput): Promise<Envelope> }
}

/** What the driver accepts at `POST /`. */
export type DriverRequest =
  | { readonly op: "create-sessions"; readonly inputs: ReadonlyArray<SessionCreateInput> }
  | { readonly op: "list-sessions"; readonly userId: string }
  | { readonly op: "check-limits"; readonly inputs: ReadonlyArray<RateLimitCheckInput> }
  | { readonly op: "poke"; readonly peek: RateLimitCheckInput }

/** Calls in flight at once: enough to overlap the D1 write of each create, few enough not to queue in the DO. */
const IN_FLIGHT = 16

const runAll = async <T>(inputs: ReadonlyArray<T>, call: (input: T) => Promise<Envelope>): Promise<{ ok: number; failures: Array<unknown> }> => {
  let next = 0
  let ok = 0
  const failures: Array<unknown> = []
  const lane = async () => {
    while (next < inputs.length) {
      const result = await call(inputs[next++]!)
      if (result._tag === "Success") ok++
      else if (failures.length < 5) failures.push(result.error)
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane))
  return { ok, failures }
}

export default {
  async fetch(request: Request, env: DriverEnv): Promise<Response> {
    if (request.method !== "POST") return new Response("bench driver: POST a DriverRequest", { status: 405 })
    const body = (await request.json()) as DriverRequest
    switch (body.op) {
      case "create-sessions":
        return Response.json(await runAll(body.inputs, (input) => env.SESSION.create(input)))
      case "list-sessions":
        return Response.json(await runAll([body.userId], (userId) => env.SESSION.listForUser({ userId })))
      case "check-limits":
        return Response.json(await runAll(body.inputs, (input) => env.RATELIMIT.check(input)))
      case "poke": {
        // Runs code in both service isolates and stores nothing: a malformed session id is NotFound
        // before any DO call; a peek (cost 0) reads a limiter window without writing.
        const calls = [() => env.SESSION.get({ sessionId: "bench-poke" }), () => env.RATELIMIT.check({ ...body.peek, cost: 0 })]
        const thrown = (await Promise.allSettled(calls.map((call) => call()))).flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []))
        return Response.json({ ok: 2 - thrown.length, failures: thrown })
      }
    }
  }
}
