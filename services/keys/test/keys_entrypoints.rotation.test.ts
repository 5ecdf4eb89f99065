/** The JWKS (`KeysForEdge`) and rotation (`KeysAdmin`): every published key is usable, and a rotation keeps old tokens verifiable. */
import { createLocalJWKSet, jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import type { SigningAlg } from "@authrim/contracts"
import { keys, validClaims } from "./keys_rpc.ts"

const publishedJwks = async () => createLocalJWKSet({ keys: [...(await keys.getJwks()).keys] })

const algs: ReadonlyArray<SigningAlg> = ["RS256", "ES256"]

const signIdToken = async (alg: SigningAlg, sub: string) =>
  (await keys.signTokens({ tokens: [{ kind: "id_token", alg, claims: { ...validClaims("id_token"), sub } }] })).signed[0]!

describe("KeysForEdge.getJwks", () => {
  it("publishes every JWKS entry with kid, alg and use=sig", async () => {
    await signIdToken("RS256", "user-1")
    const { keys: published } = await keys.getJwks()
    expect(published.length).toBeGreaterThanOrEqual(2)
    for (const jwk of published) {
      expect(jwk).toMatchObject({ kid: expect.any(String), alg: expect.stringMatching(/^(RS256|ES256)$/), use: "sig" })
    }
  })
})

describe("KeysAdmin.rotate — zero-downtime rotation", () => {
  it.each(algs)("%s: a token signed before a forced rotation still verifies after it; new tokens use the new key", async (alg) => {
    const before = await signIdToken(alg, "before")

    const { keys: afterRotation } = await keys.rotate(true)
    const after = await signIdToken(alg, "after")

    expect(after.kid).not.toEqual(before.kid)
    expect(afterRotation.find((key) => key.kid === before.kid)).toMatchObject({ active: false, retiresAt: expect.any(Number) })
    expect(afterRotation.find((key) => key.kid === after.kid)).toMatchObject({ active: true, retiresAt: null })
    const jwks = await publishedJwks()
    expect((await jwtVerify(before.jwt, jwks)).payload.sub).toBe("before")
    expect((await jwtVerify(after.jwt, jwks)).payload.sub).toBe("after")
  })

  it("a non-forced rotate before 90 days changes nothing", async () => {
    const { keys: before } = await keys.listKeys()
    const { keys: after } = await keys.rotate(false)
    expect(after).toEqual(before)
  })
})
