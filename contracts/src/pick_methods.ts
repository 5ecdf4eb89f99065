/**
 * Part of a contract, for an entrypoint that serves only some of its methods
 * (issue 13 §2: each caller's binding carries only what that caller needs).
 * The part is a contract like any other — `serveAll` serves it, `makeClient`
 * calls it — and the methods keep their schemas, so an entrypoint that serves
 * the whole contract and one that serves a part speak the same wire format.
 * `wholeContractOf` gives the contract a part was taken from (what its version
 * and compatibility snapshot are kept for).
 */
import type { RpcContract } from "./rpc.ts"

const wholeContracts = new WeakMap<RpcContract, RpcContract>()

const partOf = <C extends RpcContract>(contract: C, keep: (name: string) => boolean): RpcContract => {
  const part: RpcContract = {}
  for (const [name, method] of Object.entries(contract)) if (keep(name)) part[name] = method
  wholeContracts.set(part, wholeContractOf(contract))
  return part
}

const checkNames = (contract: RpcContract, names: ReadonlyArray<string>): void => {
  for (const name of names) if (!(name in contract)) throw new Error(`pickMethods: the contract has no method ${name}`)
}

/** The methods `names` of `contract` (throws at load time on a name the contract does not have). */
export const pickMethods = <C extends RpcContract, const K extends keyof C & string>(contract: C, names: ReadonlyArray<K>): Pick<C, K> => {
  checkNames(contract, names)
  return partOf(contract, (name) => names.includes(name as K)) as Pick<C, K>
}

/** Every method of `contract` but `names` (throws at load time on a name the contract does not have). */
export const omitMethods = <C extends RpcContract, const K extends keyof C & string>(contract: C, names: ReadonlyArray<K>): Omit<C, K> => {
  checkNames(contract, names)
  return partOf(contract, (name) => !names.includes(name as K)) as Omit<C, K>
}

/** The whole contract `contract` was picked from; `contract` itself when it is whole. */
export const wholeContractOf = (contract: RpcContract): RpcContract => wholeContracts.get(contract) ?? contract
