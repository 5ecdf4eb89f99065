/**
 * Contract versions (issue 13 §3). Each contract file declares, next to its
 * contract, `export const XContractVersion = contractVersion(XContract, { name, version })`.
 * The record is kept per contract object, so `makeClient` and `serveAll`
 * find the version of the contract they are given without any new argument,
 * and the RPC envelope carries it both ways (rpc.ts).
 *
 * `version` is a whole number that only goes up: bump it with any change to
 * the contract's schemas (contracts/README.md says what is additive). The
 * compatibility suite (contracts/test/compat.test.ts) checks the bump
 * against the committed snapshots in contracts/compat/.
 */
import { wholeContractOf } from "./pick_methods.ts"
import type { RpcContract } from "./rpc.ts"

/** The name and version of one contract. `name` is stable across versions and unique among contracts. */
export interface ContractVersion {
  readonly name: string
  readonly version: number
}

const versions = new WeakMap<RpcContract, ContractVersion>()

/**
 * Registers `contract`'s name and version and returns the record. A version
 * must be a positive whole number; a contract is versioned once.
 */
export const contractVersion = (contract: RpcContract, declared: ContractVersion): ContractVersion => {
  if (!Number.isSafeInteger(declared.version) || declared.version < 1) {
    throw new Error(`contractVersion: ${declared.name}: version must be a positive integer, got ${declared.version}`)
  }
  const known = versions.get(contract)
  if (known !== undefined) throw new Error(`contractVersion: contract already versioned as ${known.name} v${known.version}`)
  const record = { name: declared.name, version: declared.version }
  versions.set(contract, record)
  return record
}

/**
 * The name and version declared for `contract` — for a part of a contract (pick_methods.ts: what one
 * entrypoint serves of it), its whole's — or undefined when it has none (a contract built in a test).
 */
export const versionOf = (contract: RpcContract): ContractVersion | undefined => versions.get(wholeContractOf(contract))
