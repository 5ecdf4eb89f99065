import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { joinSealed, openBytes, sealBytes, sealingKey, splitSealed, type SealKeyDerivation } from "../src/index.ts"

const utf8 = (text: string) => new TextEncoder().encode(text)
const run = <A>(effect: Effect.Effect<A>) => Effect.runPromise(effect)

/** The derivations as the three services wrote them before this module existed: values they sealed must still open. */
const legacyKey = async (secret: string, derivation: SealKeyDerivation): Promise<CryptoKey> => {
  if ("sha256Label" in derivation) {
    const raw = await crypto.subtle.digest("SHA-256", utf8(derivation.sha256Label + secret))
    return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"])
  }
  const base = await crypto.subtle.importKey("raw", utf8(secret), "HKDF", false, ["deriveKey"])
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: utf8(derivation.hkdf.salt), info: utf8(derivation.hkdf.info) },
    base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])
}

const derivations: ReadonlyArray<SealKeyDerivation> = [
  { hkdf: { salt: "", info: "authrim transaction seal v1" } },
  { hkdf: { salt: "authrim/totp-secret", info: "v1" } },
  { sha256Label: "authrim-authorization-code-v1:" }
]
const secret = "0123456789abcdef0123456789abcdef-secret"

describe("aead seal", () => {
  it.each(derivations)("opens what the pre-refactor derivation %j sealed, and the reverse", async (derivation) => {
    const old = await legacyKey(secret, derivation)
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const aad = utf8("shard-07")
    const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, old, utf8("grant")))
    const key = await run(sealingKey(secret, derivation))
    expect(new TextDecoder().decode((await run(openBytes(key, { iv, ciphertext }, aad)))!)).toBe("grant")

    const sealed = await run(sealBytes(key, utf8("state"), aad))
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv, additionalData: aad }, old, sealed.ciphertext)
    expect(new TextDecoder().decode(plain)).toBe("state")
  })

  it("answers null for another AAD, another key, a flipped bit or a truncated body — never throws", async () => {
    const derivation = derivations[0]!
    const key = await run(sealingKey(secret, derivation))
    const other = await run(sealingKey(`${secret}-other`, derivation))
    const sealed = await run(sealBytes(key, utf8("value"), utf8("a")))
    expect(await run(openBytes(key, sealed, utf8("b")))).toBeNull()
    expect(await run(openBytes(other, sealed, utf8("a")))).toBeNull()
    const flipped = joinSealed(sealed)
    flipped[flipped.length - 1]! ^= 1
    expect(await run(openBytes(key, splitSealed(flipped)!, utf8("a")))).toBeNull()
    expect(splitSealed(joinSealed(sealed).subarray(0, 27))).toBeNull()
    expect(new TextDecoder().decode((await run(openBytes(key, splitSealed(joinSealed(sealed))!, utf8("a"))))!)).toBe("value")
  })

  it("draws a fresh IV per seal and derives each key once per isolate", async () => {
    const key = await run(sealingKey(secret, derivations[1]!))
    expect(await run(sealingKey(secret, derivations[1]!))).toBe(key)
    const a = await run(sealBytes(key, utf8("same"), utf8("")))
    const b = await run(sealBytes(key, utf8("same"), utf8("")))
    expect(a.iv).not.toEqual(b.iv)
    expect(a.ciphertext).not.toEqual(b.ciphertext)
  })
})
