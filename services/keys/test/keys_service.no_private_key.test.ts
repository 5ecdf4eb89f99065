import { exportJWK, exportPKCS8, generateKeyPair } from "jose"
import { describe, expect, it } from "vitest"
import { KeysContract, type KeysRpc } from "@authrim/contracts"
import { keysRpc } from "./keys_rpc.ts"
import { findPrivateKeyMaterial } from "./private_key_scan.ts"

/**
 * One call per contract method. The mapped type makes a new contract method a
 * compile error here until it gets a call, and the test below fails at run
 * time for any method of `KeysContract` without one.
 */
const callEveryMethod: { [K in keyof KeysRpc]: (keys: KeysRpc) => Promise<unknown> } = {
  getJwks: (keys) => keys.getJwks({}),
  sign: async (keys) => [
    await keys.sign({ alg: "RS256", typ: "JWT", payload: { sub: "user-1" } }),
    await keys.sign({ alg: "ES256", payload: { sub: "user-1" } })
  ],
  signMany: (keys) => keys.signMany({
    requests: [{ alg: "RS256", typ: "at+jwt", payload: { sub: "user-1" } }, { alg: "ES256", payload: { sub: "user-1" }, atHashOf: 0 }]
  }),
  listKeys: (keys) => keys.listKeys({}),
  rotate: async (keys) => [await keys.rotate({ force: false }), await keys.rotate({ force: true })]
}

describe("KeysService — no RPC ever returns a private key (DESIGN §1: private keys never leave the service)", () => {
  it("the scanner finds private members of a real RSA and EC private JWK and a PKCS#8 PEM", async () => {
    const rsa = await generateKeyPair("RS256", { extractable: true })
    const ec = await generateKeyPair("ES256", { extractable: true })
    expect(findPrivateKeyMaterial({ keys: [await exportJWK(rsa.privateKey)] })).toEqual(
      ["d", "p", "q", "dp", "dq", "qi"].map((member) => `value.keys[0].${member}`))
    expect(findPrivateKeyMaterial([await exportJWK(ec.privateKey)])).toEqual(["value[0].d"])
    expect(findPrivateKeyMaterial({ pem: await exportPKCS8(ec.privateKey) })).toEqual(["value.pem (PEM)"])
  })

  it("no method of KeysContract returns private key material, success values included", async () => {
    const calls = new Map(Object.entries(callEveryMethod))
    const methods = Object.keys(KeysContract)
    expect(methods.length).toBeGreaterThanOrEqual(4)
    for (const method of methods) {
      const call = calls.get(method)
      expect(call, `no call for KeysContract.${method}`).toBeDefined()
      const result = await call?.(keysRpc)
      expect(JSON.stringify(result)).toContain("\"_tag\":\"Success\"")
      expect(findPrivateKeyMaterial(result, method)).toEqual([])
    }
  })
})
