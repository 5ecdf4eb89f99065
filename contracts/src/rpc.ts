/**
 * The RPC envelope. Every backend method takes one encoded input and returns
 * `RpcResult` — `{ _tag: "Success", value }` or `{ _tag: "Failure", error }` —
 * so domain errors travel as values and only defects throw. `serve` is the
 * backend boundary (the one place a service runs its Effect), `makeClient`
 * gives callers a typed Effect per method.
 *
 * Every method may also fail with `Misconfigured` (a required setting of the
 * backend is missing, see deployment.ts): the envelope adds it to each
 * method's failures, so no contract has to list it. An older caller that does
 * not know it decodes it as an `RpcFailure` (503 either way).
 *
 * Compatibility rule: changes are additive. New input fields are optional,
 * decoders ignore unknown fields (Effect Schema's default), so an old edge and
 * a new backend (or the reverse) keep talking during a rolling deploy.
 *
 * Contract versions (issue 13 §3, contract_version.ts): a caller sends its
 * contract's `{ contract, version }` in the call's meta and a server answers
 * with its `version` in the envelope, both optional; a caller newer than the
 * server is logged (contract_skew.ts), never refused. contracts/README.md.
 */
import { Cause, Effect, Exit, Schema } from "effect"
import type { CostCounts } from "./cost_counts.ts"
import { Misconfigured, RpcFailure } from "./errors.ts"
import { CurrentRequest, requestMetaOf, type RequestMeta } from "./request_context.ts"
import { CallCounters, countCall, type CallCounts } from "./call_counters.ts"
import { versionOf, type ContractVersion } from "./contract_version.ts"
import { contractMetaOf, noteCallerNewer } from "./contract_skew.ts"

/** One RPC method: schemas of its input, its success value and its typed failures. */
export interface RpcMethod<
  I extends Schema.Top = Schema.Top,
  A extends Schema.Top = Schema.Top,
  E extends Schema.Top = Schema.Top
> {
  readonly input: I
  readonly success: A
  readonly failure: E
}

/** Declares an RPC method (keeps literal schema types). */
export const rpcMethod = <I extends Schema.Top, A extends Schema.Top, E extends Schema.Top>(
  input: I,
  success: A,
  failure: E
): RpcMethod<I, A, E> => ({ input, success, failure })

/** A service contract: method name → method. */
export type RpcContract = Record<string, RpcMethod>

/**
 * What crosses the wire for one method. `meter` (optional, additive) carries
 * the billable operations the callee caused (see cost_meter.ts) when the
 * callee's cost meter is on; absent when it is off or the callee caused
 * nothing. A metering caller merges it at its binding (packages/cost-meter),
 * so `makeClient` ignores it. `version` (optional, additive) is the server's
 * version of the method's contract (contract_version.ts); absent from a server
 * older than versions or serving an unversioned contract.
 */
export type RpcResultEncoded<M extends RpcMethod> =
  | { readonly _tag: "Success"; readonly value: M["success"]["Encoded"]; readonly meter?: CostCounts; readonly version?: number }
  | { readonly _tag: "Failure"; readonly error: M["failure"]["Encoded"] | typeof Misconfigured.Encoded; readonly meter?: CostCounts; readonly version?: number }

/**
 * The second argument of every RPC method: the request being served
 * (request_context.ts) and the caller's contract name and version, each part
 * optional — an old caller sends neither, an old server reads only the request.
 */
export type CallMeta = Partial<RequestMeta> & { readonly contract?: string; readonly version?: number }

/**
 * The RPC interface of a service as seen on a service binding and as
 * implemented by its `WorkerEntrypoint` (`implements RpcInterface<typeof X>`).
 */
export type RpcInterface<C extends RpcContract> = {
  [K in keyof C]: (input: C[K]["input"]["Encoded"], meta?: CallMeta) => Promise<RpcResultEncoded<C[K]>>
}

/** A caller's typed view: one Effect-returning function per method. */
export type RpcClient<C extends RpcContract> = {
  [K in keyof C]: (
    input: C[K]["input"]["Type"]
  ) => Effect.Effect<C[K]["success"]["Type"], C[K]["failure"]["Type"] | Misconfigured | RpcFailure>
}

type Pure<S extends Schema.Top> = S & { readonly DecodingServices: never; readonly EncodingServices: never }

/**
 * What `serve` runs each call inside when a worker has switched an
 * instrumentation on: it runs `work` and answers its result together with the
 * counts to return in the envelope's `meter`. The cost meter
 * (`packages/cost-meter`, `COST_METER_HEADER=true`) is the one there is;
 * contracts only holds the slot, so they depend on no instrumentation.
 */
export type ServeInstrumentation = <A>(work: () => Promise<A>) => Promise<{ readonly result: A; readonly meter: CostCounts | undefined }>

/** None by default (production): `serve` then runs the program directly, with no scope around it. */
let serveInstrumentation: ServeInstrumentation | undefined

/**
 * Installs `instrumentation` around every `serve` of this isolate, or removes
 * it (`undefined`). Per isolate, because a worker's settings are.
 */
export const instrumentServe = (instrumentation: ServeInstrumentation | undefined): void => {
  serveInstrumentation = instrumentation
}

/**
 * Backend boundary: decode the input, run the program, encode its outcome.
 * A malformed input or a defect is thrown (a bug in the caller or here, not a
 * domain outcome); typed failures are returned as `Failure` values. `meta` is
 * the caller's request (request_context.ts), given to the program as
 * `CurrentRequest`; `counts` (optional) the call's metrics counters, given as
 * `CallCounters` (serve_all.ts writes them into the call's data point);
 * `served` (optional) the server's version of the method's contract, answered
 * in the envelope's `version` and compared with the caller's from `meta`.
 */
export const serve = async <M extends RpcMethod>(
  method: M,
  input: unknown,
  program: (input: M["input"]["Type"]) => Effect.Effect<M["success"]["Type"], M["failure"]["Type"] | Misconfigured>,
  meta?: unknown,
  counts?: CallCounts,
  served?: ContractVersion
): Promise<RpcResultEncoded<M>> => {
  const decoded = Schema.decodeUnknownSync(method.input as Pure<M["input"]>)(input)
  const request = requestMetaOf(meta)
  if (served !== undefined) {
    const caller = contractMetaOf(meta)
    if (caller !== null && caller.name === served.name) {
      noteCallerNewer("server", served.name, caller.version, served.version, request?.requestId ?? null, null)
    }
  }
  const counted = counts === undefined ? program(decoded) : Effect.provideService(program(decoded), CallCounters, counts)
  const run = () => Effect.runPromiseExit(request === null ? counted : Effect.provideService(counted, CurrentRequest, request))
  let exit: Exit.Exit<M["success"]["Type"], M["failure"]["Type"] | Misconfigured>
  let meter: CostCounts | undefined
  if (serveInstrumentation === undefined) exit = await run()
  else ({ result: exit, meter } = await serveInstrumentation(run))
  // Optional fields are left out, not set to undefined: an envelope is what it was before they existed.
  const extra = { ...(meter === undefined ? {} : { meter }), ...(served === undefined ? {} : { version: served.version }) }
  if (Exit.isSuccess(exit)) {
    const value = Schema.encodeUnknownSync(method.success as Pure<M["success"]>)(exit.value)
    return { _tag: "Success", value, ...extra }
  }
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  if (failure !== undefined) {
    const error = failure.error instanceof Misconfigured
      ? Schema.encodeUnknownSync(Misconfigured)(failure.error)
      : Schema.encodeUnknownSync(method.failure as Pure<M["failure"]>)(failure.error)
    return { _tag: "Failure", error, ...extra }
  }
  throw Cause.squash(exit.cause)
}

/** The codecs `makeClient` needs for one method. */
interface MethodCodecs {
  readonly encodeInput: (input: unknown) => Effect.Effect<unknown, Schema.SchemaError>
  readonly decodeSuccess: (value: unknown) => Effect.Effect<unknown, Schema.SchemaError>
  readonly decodeFailure: (error: unknown) => Effect.Effect<unknown, Schema.SchemaError>
}

/**
 * Codecs per contract, built on a contract's first client and kept for the
 * isolate: the edge makes its clients per request, and building every method's
 * codecs (a Union per failure) each time was a large share of its CPU.
 */
const codecsByContract = new WeakMap<RpcContract, Readonly<Record<string, MethodCodecs>>>()

const codecsOf = (contract: RpcContract): Readonly<Record<string, MethodCodecs>> => {
  const known = codecsByContract.get(contract)
  if (known !== undefined) return known
  const codecs: Record<string, MethodCodecs> = {}
  for (const [name, method] of Object.entries(contract)) {
    codecs[name] = {
      encodeInput: Schema.encodeUnknownEffect(method.input as Pure<Schema.Top>),
      decodeSuccess: Schema.decodeUnknownEffect(method.success as Pure<Schema.Top>),
      decodeFailure: Schema.decodeUnknownEffect(Schema.Union([method.failure as Pure<Schema.Top>, Misconfigured]))
    }
  }
  codecsByContract.set(contract, codecs)
  return codecs
}

/**
 * Wraps a service binding into typed Effects; transport faults become `RpcFailure`. Each call is counted
 * in the running unit of work's `CallCounters` as `counted` (a service-binding call unless said otherwise:
 * the session service's clients of its SessionStore shards count Durable Object calls).
 */
export const makeClient = <C extends RpcContract>(
  service: string,
  contract: C,
  binding: RpcInterface<C>,
  counted: "serviceCalls" | "durableObjectCalls" = "serviceCalls"
): RpcClient<C> => {
  const client: Record<string, (input: unknown) => Effect.Effect<unknown, unknown>> = {}
  // The contract's name and version travel in every call's meta (none for an unversioned contract: a test's, a subset).
  const declared = versionOf(contract)
  const contractMeta = declared === undefined ? undefined : { contract: declared.name, version: declared.version }
  for (const [name, { encodeInput, decodeSuccess, decodeFailure }] of Object.entries(codecsOf(contract))) {
    const fail = (reason: string) => new RpcFailure({ service, method: name, reason })
    client[name] = Effect.fnUntraced(function*(input: unknown) {
      const encoded = yield* encodeInput(input).pipe(Effect.mapError((e) => fail(`input: ${e.message}`)))
      // The request being served travels as the second argument (request_context.ts), with the contract's
      // version; an unversioned contract outside a request sends no second argument, as before versions.
      const request = yield* CurrentRequest
      yield* countCall(counted)
      const meta: CallMeta | undefined = request === null ? contractMeta : contractMeta === undefined ? request : { ...request, ...contractMeta }
      // Call as `binding[name](…)`: on a workerd stub `.call`/`.apply` would themselves be remote method names.
      const methods = binding as unknown as Record<string, (i: unknown, meta?: CallMeta) => Promise<RpcResultEncoded<RpcMethod>>>
      const result = yield* Effect.tryPromise({
        try: () => meta === undefined ? methods[name]!(encoded) : methods[name]!(encoded, meta),
        catch: (cause) => fail(cause instanceof Error ? cause.message : String(cause))
      })
      const serverVersion: unknown = result?.version
      if (declared !== undefined && typeof serverVersion === "number") {
        noteCallerNewer("caller", declared.name, declared.version, serverVersion, request?.requestId ?? null, name)
      }
      if (result?._tag === "Success") {
        return yield* decodeSuccess(result.value).pipe(Effect.mapError((e) => fail(`output: ${e.message}`)))
      }
      if (result?._tag === "Failure") {
        const error = yield* decodeFailure(result.error).pipe(Effect.mapError((e) => fail(`error: ${e.message}`)))
        return yield* Effect.fail(error)
      }
      return yield* Effect.fail(fail("malformed RPC envelope"))
    })
  }
  return client as RpcClient<C>
}
