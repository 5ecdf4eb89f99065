/**
 * Snapshots of the contracts (issue 13 §3): per contract its name, version
 * and, per method, the wire shape of its input, success and failure — each
 * the encoded side of the Schema as effect's `SchemaRepresentation` JSON.
 * `npm run contracts:snapshot` writes one to `contracts/compat/<label>.json`
 * (scripts/contracts_snapshot.ts); the compatibility suite
 * (contract_compat.ts) revives its schemas to check the current contracts
 * against what a deployed release speaks.
 *
 * Not exported from index.ts: only the script and the tests load it, so no
 * worker bundles the representation code.
 */
import { Schema, SchemaRepresentation } from "effect"
import { versionOf, type ContractVersion } from "./contract_version.ts"
import { wholeContractOf } from "./pick_methods.ts"
import type { RpcContract, RpcMethod } from "./rpc.ts"

/** The three schemas of one method, as representation documents (JSON). */
export const MethodSnapshot = Schema.Struct({ input: Schema.Json, success: Schema.Json, failure: Schema.Json })
/** Type of {@link MethodSnapshot}. */
export type MethodSnapshot = typeof MethodSnapshot.Type

/** One contract as a release speaks it. */
export const ContractSnapshot = Schema.Struct({
  name: Schema.String,
  version: Schema.Number,
  methods: Schema.Record(Schema.String, MethodSnapshot)
})
/** Type of {@link ContractSnapshot}. */
export type ContractSnapshot = typeof ContractSnapshot.Type

/** A snapshot file: its label (the release it records) and every versioned contract, by name. */
export const CompatSnapshot = Schema.Struct({ label: Schema.String, contracts: Schema.Array(ContractSnapshot) })
/** Type of {@link CompatSnapshot}. */
export type CompatSnapshot = typeof CompatSnapshot.Type

/** A contract with the name and version it is checked and snapshotted under. */
export interface VersionedContract {
  readonly contract: RpcContract
  readonly version: ContractVersion
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === "object" && value !== null

/** An `rpcMethod` record: exactly `input`, `success` and `failure`, each a Schema. */
const isRpcMethod = (value: unknown): value is RpcMethod =>
  isRecord(value) && Object.keys(value).length === 3 && Schema.isSchema(value.input) && Schema.isSchema(value.success) && Schema.isSchema(value.failure)

/** A contract by its shape: a non-empty object (not a Schema) whose values are all `rpcMethod` records. */
export const isRpcContract = (value: unknown): value is RpcContract =>
  isRecord(value) && !Schema.isSchema(value) && Object.keys(value).length > 0 && Object.values(value).every(isRpcMethod)

/** Every contract among a module's exports (e.g. `import * as contracts from "contracts/src/index.ts"`), by export name. */
export const contractsOf = (exports: object): ReadonlyArray<readonly [string, RpcContract]> =>
  Object.entries(exports).flatMap(([name, value]: [string, unknown]) =>
    // A part of a contract (pick_methods.ts, an entrypoint's share of it) is versioned and snapshotted as its whole.
    isRpcContract(value) && wholeContractOf(value) === value ? [[name, value] as const] : [])

/**
 * The contracts of a module with their versions. Throws naming every contract
 * that has none, and every name two contracts share: a snapshot keys contracts
 * by name.
 */
export const versionedContractsOf = (exports: object): ReadonlyArray<VersionedContract> => {
  const found = contractsOf(exports)
  const unversioned = found.filter(([, contract]) => versionOf(contract) === undefined).map(([name]) => name)
  if (unversioned.length > 0) throw new Error(`contracts without a version (add contractVersion next to each): ${unversioned.join(", ")}`)
  const versioned = found.flatMap(([, contract]) => {
    const version = versionOf(contract)
    return version === undefined ? [] : [{ contract, version }]
  })
  const names = versioned.map(({ version }) => version.name)
  const repeated = names.filter((name, i) => names.indexOf(name) !== i)
  if (repeated.length > 0) throw new Error(`contract names used twice: ${[...new Set(repeated)].join(", ")}`)
  return versioned
}

/** The representation document (JSON) of a schema's encoded side — what crosses the wire. */
export const representationOf = (schema: Schema.Top): Schema.Json =>
  SchemaRepresentation.toJson(SchemaRepresentation.toRepresentation(schema.ast))

/** One method's snapshot. */
export const methodSnapshotOf = (method: RpcMethod): MethodSnapshot => ({
  input: representationOf(method.input),
  success: representationOf(method.success),
  failure: representationOf(method.failure)
})

const byName = <A>(entries: ReadonlyArray<readonly [string, A]>) => [...entries].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)

/** One contract's snapshot; methods in name order (a reordered contract is the same contract). */
export const contractSnapshotOf = ({ contract, version }: VersionedContract): ContractSnapshot => ({
  name: version.name,
  version: version.version,
  methods: Object.fromEntries(byName(Object.entries(contract)).map(([name, method]) => [name, methodSnapshotOf(method)]))
})

/** The snapshot of `contracts` under `label`; contracts in name order. */
export const snapshotOf = (label: string, contracts: ReadonlyArray<VersionedContract>): CompatSnapshot => ({
  label,
  contracts: contracts.map(contractSnapshotOf).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
})

/**
 * The text of a snapshot file: indented down to each schema, each schema's
 * document on one line — a review sees which method and which part changed,
 * and the file stays a fraction of fully indented JSON.
 */
export const formatSnapshot = (snapshot: CompatSnapshot): string => {
  const contracts = snapshot.contracts.map((contract) => {
    const methods = Object.entries(contract.methods).map(([name, method]) =>
      `        ${JSON.stringify(name)}: {\n` +
      `          "input": ${JSON.stringify(method.input)},\n` +
      `          "success": ${JSON.stringify(method.success)},\n` +
      `          "failure": ${JSON.stringify(method.failure)}\n` +
      `        }`)
    return `    {\n      "name": ${JSON.stringify(contract.name)},\n      "version": ${contract.version},\n      "methods": {\n${methods.join(",\n")}\n      }\n    }`
  })
  return `{\n  "label": ${JSON.stringify(snapshot.label)},\n  "contracts": [\n${contracts.join(",\n")}\n  ]\n}\n`
}

const decodeSnapshot = Schema.decodeUnknownSync(CompatSnapshot)

/** A snapshot file's text, checked against {@link CompatSnapshot} (throws on a malformed file). */
export const parseSnapshot = (text: string): CompatSnapshot => decodeSnapshot(JSON.parse(text))

/**
 * Every reviver effect ships (`isPatternReviver`, `Uint8ArrayReviver`, …): a
 * check or declaration in a persisted document is rebuilt with its own; none
 * is installed implicitly.
 */
const isReviver = (value: unknown): value is SchemaRepresentation.AnyReviver =>
  isRecord(value) && typeof value.id === "string" && Schema.isSchema(value.payloadSchema) && typeof value.revive === "function"
const revivers: ReadonlyArray<SchemaRepresentation.AnyReviver> = Object.values(SchemaRepresentation).flatMap((value: unknown) => isReviver(value) ? [value] : [])

/** A codec of exactly the wire shape a snapshot document describes (encoded and decoded sides alike). */
export const reviveSchema = (document: Schema.Json): Schema.Codec<unknown> =>
  Schema.make<Schema.Codec<unknown>>(SchemaRepresentation.fromRepresentation(SchemaRepresentation.fromJson(document), { revivers }).ast)

/**
 * A document without its annotations (descriptions, titles, identifiers kept
 * only as reference names): what the change check compares, so editing a
 * description is not a contract change.
 */
export const wireShapeOf = (document: Schema.Json): Schema.Json => {
  if (Array.isArray(document)) return document.map(wireShapeOf)
  if (document === null || typeof document !== "object") return document
  return Object.fromEntries(Object.entries(document).filter(([key]) => key !== "annotations").map(([key, value]) => [key, wireShapeOf(value)]))
}
