import { describe, expect, it } from "vitest"
import { SignJWT, exportJWK, generateKeyPair, type JWK } from "jose"
import { checkDpopProof } from "../src/dpop/check_dpop_proof.ts"
import { athOf, makeProof, newDpopKey, runDpop, tokenEndpoint } from "./dpop_fixtures.ts"
import { ManualClock } from "./token_fixtures.ts"

const check = (proof: string, clock: ManualClock, overrides: { htm?: string; htu?: string; accessToken?: string | null; nonceRequired?: boolean } = {}) =>
  runDpop(checkDpopProof({
    proof, htm: overrides.htm ?? "POST", htu: overrides.htu ?? tokenEndpoint,
    accessToken: overrides.accessToken ?? null, nonceRequired: overrides.nonceRequired ?? false
  }), clock)

const errorOf = (outcome: Awaited<ReturnType<typeof check>>): string => (outcome.valid ? "valid" : outcome.error)

describe("DPoP proof validation — RFC 9449 §4.3", () => {
  it("accepts a well-formed proof and names its key by the RFC 7638 thumbprint", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const outcome = await check(await makeProof(key, clock), clock)
    expect(outcome).toMatchObject({ valid: true, jkt: key.jkt })
  })

  it("refuses a JWS whose typ is not dpop+jwt", async () => {
    const clock = new ManualClock()
    expect(errorOf(await check(await makeProof(await newDpopKey(), clock, { typ: "JWT" }), clock))).toBe("invalid_dpop_proof")
  })

  it("refuses a symmetric alg", async () => {
    const clock = new ManualClock()
    const secret = new TextEncoder().encode("a-shared-secret-a-shared-secret!")
    const octJwk: JWK = { kty: "oct", k: "c2VjcmV0" }
    const proof = await new SignJWT({ htm: "POST", htu: tokenEndpoint, jti: "hs" })
      .setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk: octJwk })
      .setIssuedAt(Math.floor(clock.nowMs / 1000)).sign(secret)
    expect(errorOf(await check(proof, clock))).toBe("invalid_dpop_proof")
  })

  it("refuses a jwk that carries private key material", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const privateJwk = await exportJWK(key.privateKey)
    expect(errorOf(await check(await makeProof(key, clock, { jwk: privateJwk }), clock))).toBe("invalid_dpop_proof")
  })

  it("refuses a proof signed by a key other than its jwk", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const other = await generateKeyPair("ES256")
    const forged = await makeProof({ ...key, privateKey: other.privateKey }, clock)
    expect(errorOf(await check(forged, clock))).toBe("invalid_dpop_proof")
  })

  it("refuses a proof for another method or another URL; ignores query and fragment of htu", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    expect(errorOf(await check(await makeProof(key, clock, { htm: "GET" }), clock))).toBe("invalid_dpop_proof")
    expect(errorOf(await check(await makeProof(key, clock, { htu: "https://op.example/userinfo" }), clock))).toBe("invalid_dpop_proof")
    expect(errorOf(await check(await makeProof(key, clock, { htu: "https://evil.example/token" }), clock))).toBe("invalid_dpop_proof")
    expect(errorOf(await check(await makeProof(key, clock, { htu: "HTTPS://OP.EXAMPLE:443/token?x=1#f" }), clock))).toBe("valid")
  })

  it("refuses a proof whose iat is more than 60 s away from the server clock", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const now = Math.floor(clock.nowMs / 1000)
    expect(errorOf(await check(await makeProof(key, clock, { iat: now - 61 }), clock))).toBe("invalid_dpop_proof")
    expect(errorOf(await check(await makeProof(key, clock, { iat: now + 61 }), clock))).toBe("invalid_dpop_proof")
    expect(errorOf(await check(await makeProof(key, clock, { iat: now - 59 }), clock))).toBe("valid")
  })

  it("at a resource, demands ath = hash of the presented access token", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const accessToken = "header.payload.signature"
    expect(errorOf(await check(await makeProof(key, clock), clock, { accessToken }))).toBe("invalid_dpop_proof")
    expect(errorOf(await check(await makeProof(key, clock, { ath: await athOf("another.token.value") }), clock, { accessToken }))).toBe("invalid_dpop_proof")
    expect(errorOf(await check(await makeProof(key, clock, { ath: await athOf(accessToken) }), clock, { accessToken }))).toBe("valid")
  })
})

describe("DPoP proof replay — RFC 9449 §11.1", () => {
  it("accepts a jti once: the same proof presented again is refused", async () => {
    const clock = new ManualClock()
    const proof = await makeProof(await newDpopKey(), clock)
    expect(errorOf(await check(proof, clock))).toBe("valid")
    const replay = await check(proof, clock)
    expect(replay).toMatchObject({ valid: false, error: "invalid_dpop_proof", description: "DPoP proof jti was already used" })
  })

  it("a proof refused for another reason does not burn its jti", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    expect(errorOf(await check(await makeProof(key, clock, { jti: "same-jti", htm: "GET" }), clock))).toBe("invalid_dpop_proof")
    expect(errorOf(await check(await makeProof(key, clock, { jti: "same-jti" }), clock))).toBe("valid")
  })

  it("the same jti under two different keys is two different proofs", async () => {
    const clock = new ManualClock()
    expect(errorOf(await check(await makeProof(await newDpopKey(), clock, { jti: "shared" }), clock))).toBe("valid")
    expect(errorOf(await check(await makeProof(await newDpopKey(), clock, { jti: "shared" }), clock))).toBe("valid")
  })
})

describe("DPoP server nonces — RFC 9449 §8", () => {
  it("when a nonce is required, a proof without one gets use_dpop_nonce and the nonce to use", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const first = await check(await makeProof(key, clock), clock, { nonceRequired: true })
    expect(first).toMatchObject({ valid: false, error: "use_dpop_nonce" })
    const retried = await check(await makeProof(key, clock, { nonce: first.nonce }), clock, { nonceRequired: true })
    expect(retried).toMatchObject({ valid: true, jkt: key.jkt })
  })

  it("refuses a forged nonce and a nonce more than two buckets (5 min each) old", async () => {
    const clock = new ManualClock()
    const key = await newDpopKey()
    const { nonce } = await check(await makeProof(key, clock), clock)
    expect(errorOf(await check(await makeProof(key, clock, { nonce: `${nonce.split(".")[0]}.AAAAAAAAAAAAAAAAAAAAAA` }), clock, { nonceRequired: true }))).toBe("use_dpop_nonce")
    clock.advance(11 * 60_000)
    expect(errorOf(await check(await makeProof(key, clock, { nonce }), clock, { nonceRequired: true }))).toBe("use_dpop_nonce")
  })

  it("a nonce from the previous bucket is still accepted", async () => {
    const clock = new ManualClock(Math.floor(Date.now() / 300_000) * 300_000 + 290_000)
    const key = await newDpopKey()
    const { nonce } = await check(await makeProof(key, clock), clock)
    clock.advance(20_000)
    expect(errorOf(await check(await makeProof(key, clock, { nonce }), clock, { nonceRequired: true }))).toBe("valid")
  })
})
