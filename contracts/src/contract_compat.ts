/**
 * The compatibility check (issue 13 §3): can the current contracts still talk
 * to a release recorded in a snapshot (contract_snapshot.ts)? Per contract of
 * the snapshot:
 *
 * - every method still exists;
 * - the version never went down;
 * - an OLD caller's input still decodes: samples of the snapshot's input
 *   schema (generated with `effect/Arbitrary`), encoded with it, decode with
 *   the current input schema;
 * - an OLD caller still reads the answer: samples of the current success and
 *   failure schemas, encoded with them, decode with the snapshot's;
 * - a contract whose wire shape changed (a method's schemas, a method added)
 *   has a higher version than the snapshot's.
 *
 * Used by the suite (contracts/test/compat.test.ts) against every
 * committed snapshot, and by its meta-tests against modified copies of real
 * contracts. Samples are seeded per contract, method and part, so a run is
 * repeatable and a failure names the seed that found it.
 */
import { Arbitrary, Effect, Result, Schema } from "effect"
import { methodSnapshotOf, reviveSchema, wireShapeOf, type CompatSnapshot, type ContractSnapshot, type VersionedContract } from "./contract_snapshot.ts"
import type { RpcMethod } from "./rpc.ts"

/** What a violation breaks. */
export type CompatRule =
  | "method-removed"
  | "version-decreased"
  | "old-input-rejected"
  | "new-success-unreadable"
  | "new-failure-unreadable"
  | "changed-without-version-bump"
  | "cannot-sample"

/** One way the current contracts would break a caller or server of the snapshot's release. */
export interface CompatViolation {
  readonly contract: string
  readonly method: string | null
  readonly rule: CompatRule
  readonly detail: string
}

/** How hard to look. */
export interface CompatOptions {
  /** Samples per method and part (default 30). */
  readonly samples?: number
}

type Part = "input" | "success" | "failure"

const ruleOfPart: Record<Part, CompatRule> = {
  input: "old-input-rejected",
  success: "new-success-unreadable",
  failure: "new-failure-unreadable"
}

const codecOf = (schema: Schema.Top): Schema.Codec<unknown, unknown> => Schema.make<Schema.Codec<unknown, unknown>>(schema.ast)

const shown = (value: unknown): string => {
  try {
    const text = JSON.stringify(value, (_key, v: unknown) => v instanceof Uint8Array ? `<${v.length} bytes>` : typeof v === "bigint" ? `${v}n` : v)
    return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text
  } catch {
    return String(value)
  }
}

/**
 * Samples of `from`, encoded with it and decoded with `to`; the first that
 * does not decode as a violation of `rule`. A schema that cannot be sampled
 * (never, or a check no generator satisfies) is a `cannot-sample` violation,
 * not a silent pass.
 */
const checkDirection = Effect.fnUntraced(function*(
  contract: string,
  method: string,
  part: Part,
  from: Schema.Codec<unknown, unknown>,
  to: Schema.Codec<unknown, unknown>,
  count: number
) {
  const violation = (rule: CompatRule, detail: string): ReadonlyArray<CompatViolation> => [{ contract, method, rule, detail: `${part}: ${detail}` }]
  if (from.ast._tag === "Never") return []
  const seed = `${contract}.${method}.${part}`
  let arbitrary: Arbitrary.Arbitrary<unknown>
  try {
    arbitrary = Arbitrary.schema(from)
  } catch (cause) {
    return violation("cannot-sample", `no generator for the schema (${cause instanceof Error ? cause.message : String(cause)})`)
  }
  const sampled = yield* Effect.result(Arbitrary.sampleEffect(arbitrary, { count, seed }))
  if (Result.isFailure(sampled)) return violation("cannot-sample", `sampling gave up after ${sampled.failure.generated} samples (seed ${seed})`)
  const encode = Schema.encodeUnknownResult(from)
  const decode = Schema.decodeUnknownResult(to)
  for (const sample of sampled.success) {
    const wire = encode(sample)
    if (Result.isFailure(wire)) return violation("cannot-sample", `a sample does not encode with its own schema: ${wire.failure.message}`)
    const decoded = decode(wire.success)
    if (Result.isFailure(decoded)) {
      return violation(ruleOfPart[part], `${shown(wire.success)} does not decode (seed ${seed}): ${decoded.failure.message}`)
    }
  }
  return []
})

/** One method of the snapshot against the current one: old input → new decoder, new outputs → old decoders. */
const checkMethod = Effect.fnUntraced(function*(contract: string, name: string, old: ContractSnapshot["methods"][string], current: RpcMethod, count: number) {
  const input = yield* checkDirection(contract, name, "input", reviveSchema(old.input), codecOf(current.input), count)
  const success = yield* checkDirection(contract, name, "success", codecOf(current.success), reviveSchema(old.success), count)
  const failure = yield* checkDirection(contract, name, "failure", codecOf(current.failure), reviveSchema(old.failure), count)
  return [...input, ...success, ...failure]
})

const sameShape = (a: Schema.Json, b: Schema.Json): boolean => JSON.stringify(wireShapeOf(a)) === JSON.stringify(wireShapeOf(b))

/** The methods whose wire shape differs from the snapshot's, and those added since. */
export const changedMethods = (old: ContractSnapshot, current: VersionedContract): ReadonlyArray<string> =>
  Object.entries(current.contract).flatMap(([name, method]) => {
    const before = old.methods[name]
    if (before === undefined) return [`${name} (added)`]
    const now = methodSnapshotOf(method)
    const parts = (["input", "success", "failure"] as const).filter((part) => !sameShape(before[part], now[part]))
    return parts.length === 0 ? [] : [`${name} (${parts.join(", ")})`]
  })

/** One contract of the snapshot against its current version (undefined: no current contract has its name). */
export const checkContract = Effect.fnUntraced(function*(old: ContractSnapshot, current: VersionedContract | undefined, options?: CompatOptions) {
  const count = options?.samples ?? 30
  if (current === undefined) {
    return Object.keys(old.methods).map((method): CompatViolation => ({
      contract: old.name, method, rule: "method-removed", detail: `no current contract is named ${old.name}`
    }))
  }
  const violations: Array<CompatViolation> = []
  const version = current.version.version
  if (version < old.version) {
    violations.push({ contract: old.name, method: null, rule: "version-decreased", detail: `version ${version} is lower than the snapshot's ${old.version}` })
  }
  for (const [name, before] of Object.entries(old.methods)) {
    const method = current.contract[name]
    if (method === undefined) {
      violations.push({ contract: old.name, method: name, rule: "method-removed", detail: "a caller of the snapshot's release still calls it" })
      continue
    }
    violations.push(...yield* checkMethod(old.name, name, before, method, count))
  }
  const changed = changedMethods(old, current)
  if (changed.length > 0 && version <= old.version) {
    violations.push({
      contract: old.name, method: null, rule: "changed-without-version-bump",
      detail: `changed since the snapshot (${changed.join("; ")}) but still version ${version}: bump it above ${old.version}`
    })
  }
  return violations
})

/** Every contract of `snapshot` against `current` (matched by contract name). Contracts new since the snapshot have nothing to be compatible with. */
export const checkCompatibility = Effect.fnUntraced(function*(snapshot: CompatSnapshot, current: ReadonlyArray<VersionedContract>, options?: CompatOptions) {
  const violations: Array<CompatViolation> = []
  for (const old of snapshot.contracts) {
    violations.push(...yield* checkContract(old, current.find(({ version }) => version.name === old.name), options))
  }
  return violations
})

/** The violations as a report, one per line. */
export const formatViolations = (label: string, violations: ReadonlyArray<CompatViolation>): string =>
  violations.map((v) => `[${label}] ${v.contract}${v.method === null ? "" : `.${v.method}`}: ${v.rule}: ${v.detail}`).join("\n")
