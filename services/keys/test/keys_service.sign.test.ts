import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import type { SigningAlg } from "@authrim/contracts"
import { keys } from "./keys_rpc.ts"

const publishedJwks = async () => createLocalJWKSet({ keys: [...(await keys.getJwks()).keys] })

const algs: ReadonlyArray<SigningAlg> = ["RS256", "ES256"]

describe("KeysService.sign — compact JWS (RFC 7515) verifiable with the published JWKS (RFC 7517)", () => {
  it.each(algs)("%s: a signed token verifies with jose against getJwks; header carries alg, kid and typ", async (alg) => {
    const payload = { iss: "https://op.example", sub: "user-1", aud: "rp-1", iat: 1_700_000_000 }

    const { jwt, kid } = await keys.sign({ alg, typ: "at+jwt", payload })

    const verified = await jwtVerify(jwt, await publishedJwks(), { algorithms: [alg], typ: "at+jwt" })
    expect(verified.payload).toEqual(payload)
    expect(verified.protectedHeader).toEqual({ alg, kid, typ: "at+jwt" })
  })

  it("leaves typ out of the header when the caller gives none", async () => {
    const { jwt, kid } = await keys.sign({ alg: "RS256", payload: { sub: "user-1" } })
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "RS256", kid })
  })

  it("publishes every JWKS entry with kid, alg and use=sig", async () => {
    const { keys: published } = await keys.getJwks()
    expect(published.length).toBeGreaterThanOrEqual(2)
    for (const jwk of published) {
      expect(jwk).toMatchObject({ kid: expect.any(String), alg: expect.stringMatching(/^(RS256|ES256)$/), use: "sig" })
    }
  })
})

describe("KeysService — zero-downtime rotation", () => {
  it.each(algs)("%s: a token signed before a forced rotation still verifies after it; new tokens use the new key", async (alg) => {
    const before = await keys.sign({ alg, payload: { sub: "before" } })

    const { keys: afterRotation } = await keys.rotate(true)
    const after = await keys.sign({ alg, payload: { sub: "after" } })

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
