import { exportJWK, exportPKCS8, generateKeyPair } from "jose"
import { describe, expect, it } from "vitest"
import { env } from "cloudflare:workers"
import { KeysAdminContract, KeysPublicContract, KeysSigningContract } from "@authrim/contracts"
import { findPrivateKeyMaterial } from "./private_key_scan.ts"
import { validClaims } from "./keys_rpc.ts"

type Contracts = typeof KeysPublicContract & typeof KeysSigningContract & typeof KeysAdminContract

/**
 * One call per method of every keys contract, through the entrypoint that
 * serves it. The mapped type makes a new contract method a compile error here
 * until it gets a call, and the test below fails at run time for any method
 * without one.
 */
const callEveryMethod: { [K in keyof Contracts]: () => Promise<unknown> } = {
  getJwks: async () => [await env.KEYS_FOR_EDGE.getJwks({}), await env.KEYS_FOR_TOKENS.getJwks({})],
  signTokens: () => env.KEYS_FOR_TOKENS.signTokens({
    tokens: [
      { kind: "access_token", alg: "RS256", claims: validClaims("access_token") },
      { kind: "id_token", alg: "ES256", claims: validClaims("id_token"), atHashOf: 0 },
      { kind: "logout_token", alg: "RS256", claims: validClaims("logout_token") }
    ]
  }),
  listKeys: () => env.KEYS_ADMIN.listKeys({}),
  rotate: async () => [await env.KEYS_ADMIN.rotate({ force: false }), await env.KEYS_ADMIN.rotate({ force: true })]
}

describe("keys entrypoints — no RPC ever returns a private key (DESIGN §1: private keys never leave the service)", () => {
  it("the scanner finds private members of a real RSA and EC private JWK and a PKCS#8 PEM", async () => {
    const rsa = await generateKeyPair("RS256", { extractable: true })
    const ec = await generateKeyPair("ES256", { extractable: true })
    expect(findPrivateKeyMaterial({ keys: [await exportJWK(rsa.privateKey)] })).toEqual(
      ["d", "p", "q", "dp", "dq", "qi"].map((member) => `value.keys[0].${member}`))
    expect(findPrivateKeyMaterial([await exportJWK(ec.privateKey)])).toEqual(["value[0].d"])
    expect(findPrivateKeyMaterial({ pem: await exportPKCS8(ec.privateKey) })).toEqual(["value.pem (PEM)"])
  })

  it("no method of any keys contract returns private key material, success values included", async () => {
    const calls = new Map(Object.entries(callEveryMethod))
    const methods = [...Object.keys(KeysPublicContract), ...Object.keys(KeysSigningContract), ...Object.keys(KeysAdminContract)]
    expect(methods.length).toBeGreaterThanOrEqual(4)
    for (const method of methods) {
      const call = calls.get(method)
      expect(call, `no call for ${method}`).toBeDefined()
      const result = await call?.()
      expect(JSON.stringify(result)).toContain("\"_tag\":\"Success\"")
      expect(JSON.stringify(result)).not.toContain("\"_tag\":\"Failure\"")
      expect(findPrivateKeyMaterial(result, method)).toEqual([])
    }
  })
})
