import { sha256Hex } from "@authrim/platform"
import { Cause, Effect, Exit } from "effect"
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose"
import { beforeAll, describe, expect, it } from "vitest"
import { validateIdToken, type IdTokenExpectations } from "../src/upstream/upstream_id_token.ts"

const issuer = "https://upstream.example"
const clientId = "authrim"
const nonce = "n-0S6_WzA2Mj"
const now = Date.UTC(2026, 10, 1, 12, 0, 0)

let upstreamKey: CryptoKey
let strangerKey: CryptoKey
let expect_: IdTokenExpectations

beforeAll(async () => {
  const upstream = await generateKeyPair("RS256", { extractable: true })
  strangerKey = (await generateKeyPair("RS256")).privateKey
  upstreamKey = upstream.privateKey
  const jwk = { ...(await exportJWK(upstream.publicKey)), kid: "k1", alg: "RS256" }
  expect_ = {
    keys: createLocalJWKSet({ keys: [jwk] }),
    issuer,
    clientId,
    algorithms: ["RS256"],
    nonceHash: await Effect.runPromise(sha256Hex(nonce)),
    nowMs: now
  }
})

const sign = (claims: JWTPayload, key = upstreamKey, alg = "RS256") => {
  const iat = Math.floor(now / 1000)
  return new SignJWT({ iss: issuer, aud: clientId, sub: "248289761001", iat, exp: iat + 300, nonce, ...claims })
    .setProtectedHeader({ alg, kid: "k1" })
    .sign(key)
}

const rejectionOf = async (token: string, overrides: Partial<IdTokenExpectations> = {}) => {
  const exit = await Effect.runPromiseExit(validateIdToken(token, { ...expect_, ...overrides }))
  if (Exit.isSuccess(exit)) return null
  const reason = exit.cause.reasons.find(Cause.isFailReason)
  if (reason === undefined) throw Cause.squash(exit.cause)
  return `${reason.error.code}: ${reason.error.description}`
}

describe("Upstream ID token validation — OIDC Core §3.1.3.7", () => {
  it("accepts a token signed by the upstream for this client with the round trip's nonce", async () => {
    const claims = await Effect.runPromise(validateIdToken(await sign({ email: "a@b.test" }), expect_))
    expect(claims.sub).toBe("248289761001")
    expect(claims["email"]).toBe("a@b.test")
  })

  it("rejects a signature by another key", async () => {
    expect(await rejectionOf(await sign({}, strangerKey))).toContain("ID token was rejected")
  })

  it("rejects another issuer (iss)", async () => {
    expect(await rejectionOf(await sign({ iss: "https://evil.example" }))).toContain("ID token was rejected")
  })

  it("rejects a token for another client (aud)", async () => {
    expect(await rejectionOf(await sign({ aud: "someone-else" }))).toContain("ID token was rejected")
  })

  it("rejects several audiences without azp = this client", async () => {
    expect(await rejectionOf(await sign({ aud: [clientId, "other"] }))).toContain("authorized party mismatch")
    expect(await rejectionOf(await sign({ aud: [clientId, "other"], azp: clientId }))).toBeNull()
  })

  it("rejects an expired token (exp) beyond the 60 s skew, by the injected clock", async () => {
    const token = await sign({})
    expect(await rejectionOf(token, { nowMs: now + 300_000 + 30_000 })).toBeNull()
    expect(await rejectionOf(token, { nowMs: now + 300_000 + 61_000 })).toContain("ID token was rejected")
  })

  it("rejects a wrong or missing nonce", async () => {
    expect(await rejectionOf(await sign({ nonce: "other" }))).toContain("nonce mismatch")
    const noNonce = await new SignJWT({}).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuer(issuer).setAudience(clientId)
      .setSubject("s").setIssuedAt(Math.floor(now / 1000)).setExpirationTime(Math.floor(now / 1000) + 300).sign(upstreamKey)
    expect(await rejectionOf(noNonce)).toContain("nonce mismatch")
  })

  it("rejects an algorithm the upstream does not advertise, and unsigned tokens", async () => {
    expect(await rejectionOf(await sign({}), { algorithms: ["ES256"] })).toContain("ID token was rejected")
    const header = btoa(JSON.stringify({ alg: "none" })).replace(/=+$/, "")
    const body = btoa(JSON.stringify({ iss: issuer, aud: clientId, sub: "s", nonce, iat: now / 1000, exp: now / 1000 + 300 })).replace(/=+$/, "")
    expect(await rejectionOf(`${header}.${body}.`)).toContain("ID token was rejected")
  })
})
