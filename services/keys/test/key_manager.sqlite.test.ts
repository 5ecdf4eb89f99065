import { env } from "cloudflare:workers"
import { evictDurableObject } from "cloudflare:test"
import { base64url } from "jose"
import { describe, expect, it } from "vitest"
import { storedRows } from "./manual_clock.ts"

const freshKeyManager = () => env.KEY_MANAGER.get(env.KEY_MANAGER.newUniqueId())

describe("KeyManager — keys created on first use (DESIGN §2)", () => {
  it("creates one RS256 (2048-bit) and one ES256 (P-256) key on first use, published with kid, alg and use=sig", async () => {
    const keyManager = freshKeyManager()
    expect(await storedRows(keyManager)).toEqual([])

    const { keys } = await keyManager.jwks()

    expect(keys).toHaveLength(2)
    const rsa = keys.find((key) => key.alg === "RS256")
    const ec = keys.find((key) => key.alg === "ES256")
    expect(rsa).toMatchObject({ kty: "RSA", use: "sig", e: "AQAB" })
    expect(base64url.decode(String(rsa?.n))).toHaveLength(256)
    expect(ec).toMatchObject({ kty: "EC", crv: "P-256", use: "sig" })
    expect(typeof rsa?.kid).toBe("string")
    expect(rsa?.kid).not.toEqual(ec?.kid)
    const info = await keyManager.listKeys()
    expect(info.map((key) => [key.alg, key.active, key.retiresAt])).toEqual([["RS256", true, null], ["ES256", true, null]])
  })

  it("keeps its keys across eviction: after a restart the same kids are served and no key is added", async () => {
    const keyManager = freshKeyManager()
    const before = await keyManager.jwks()

    await evictDurableObject(keyManager)
    const after = await keyManager.jwks()

    expect(after.keys.map((key) => key.kid)).toEqual(before.keys.map((key) => key.kid))
    expect((await keyManager.signingKey("ES256")).kid).toEqual(before.keys.find((key) => key.alg === "ES256")?.kid)
    expect(await storedRows(keyManager)).toHaveLength(2)
  })
})
