/**
 * Least privilege (issue 13 §2): each entrypoint serves exactly its caller's
 * methods, read from the classes the runtime serves (a method is on the
 * prototype chain or it is not reachable over RPC: workerd answers "The RPC
 * receiver does not implement …"). The edge's `KEYS` (`KeysForEdge`) cannot
 * sign, and no binding but the admin one can rotate.
 */
import { WorkerEntrypoint } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { KeysAdmin, KeysForEdge, KeysForTokens } from "../src/keys_entrypoints.ts"

/** Every method an entrypoint class serves (its prototype chain up to WorkerEntrypoint). */
const methodsOf = (entrypoint: { readonly prototype: object }): Array<string> => {
  const names = new Set<string>()
  for (let proto: object | null = entrypoint.prototype; proto !== null && proto !== WorkerEntrypoint.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== "constructor") names.add(name)
  }
  return [...names].sort()
}

describe("keys entrypoints — each serves only its caller's methods", () => {
  it("KeysForEdge: getJwks, health; KeysAdmin: listKeys, rotate; KeysForTokens: getJwks, signTokens", () => {
    expect(methodsOf(KeysForEdge)).toEqual(["getJwks", "health"])
    expect(methodsOf(KeysAdmin)).toEqual(["listKeys", "rotate"])
    expect(methodsOf(KeysForTokens)).toEqual(["getJwks", "signTokens"])
  })
})
