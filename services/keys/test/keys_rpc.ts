/**
 * The keys service over real Workers RPC (test-only binding KEYS_UNDER_TEST),
 * with each envelope unwrapped: a `Failure` fails the test.
 *
 * Why not `makeClient` from contracts: it invokes `binding[name].call(binding, …)`,
 * and on a service-binding stub `.call` is itself an RPC property, so every call
 * fails with `The RPC receiver does not implement the method "call"` (reported to the lead).
 */
import { env } from "cloudflare:workers"
import type { KeysContract, KeysRpc, RpcResultEncoded } from "@authrim/contracts"

/** The binding typed as the contract's RPC interface (what the edge's `KEYS` binding is). */
export const keysRpc: KeysRpc = env.KEYS_UNDER_TEST

type Method = keyof typeof KeysContract

const unwrap = async <K extends Method>(result: Promise<RpcResultEncoded<(typeof KeysContract)[K]>>) => {
  const settled = await result
  if (settled._tag === "Failure") throw new Error(`keys RPC failed: ${JSON.stringify(settled.error)}`)
  return settled.value
}

/** Success values of each method, as they cross the wire. */
export const keys = {
  getJwks: () => unwrap<"getJwks">(keysRpc.getJwks({})),
  sign: (input: (typeof KeysContract)["sign"]["input"]["Encoded"]) => unwrap<"sign">(keysRpc.sign(input)),
  signMany: (input: (typeof KeysContract)["signMany"]["input"]["Encoded"]) => unwrap<"signMany">(keysRpc.signMany(input)),
  listKeys: () => unwrap<"listKeys">(keysRpc.listKeys({})),
  rotate: (force: boolean) => unwrap<"rotate">(keysRpc.rotate({ force }))
}
