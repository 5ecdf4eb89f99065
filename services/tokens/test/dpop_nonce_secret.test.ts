/**
 * Issue 9 §1 in the tokens service: `DPOP_NONCE_SECRET` has no random
 * per-isolate fallback in production (nonces minted by one isolate would fail
 * in every other); only `AUTHRIM_ENV=development` keeps that convenience. The
 * entrypoint is built with an env copy, so the answer is what the edge gets.
 */
import { createExecutionContext } from "cloudflare:test"
import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { nonceSecret } from "../src/dpop/dpop_nonce.ts"
import { TokensForEdge } from "../src/tokens_service.ts"
import { makeProof, newDpopKey, tokenEndpoint } from "./dpop_fixtures.ts"
import { ManualClock } from "./token_fixtures.ts"

const proofCheck = async (vars: Record<string, string | undefined>) => {
  const service = new TokensForEdge(createExecutionContext(), { ...env, ...vars })
  const proof = await makeProof(await newDpopKey(), new ManualClock())
  return service.checkDpopProof({ proof, htm: "POST", htu: tokenEndpoint, accessToken: null, nonceRequired: false })
}

describe("DPoP nonce secret by deployment (RFC 9449 §8; issue 9 §1)", () => {
  it("production without DPOP_NONCE_SECRET: proof checking is a configuration error naming it", async () => {
    for (const AUTHRIM_ENV of ["production", undefined, "prod"]) {
      expect(await proofCheck({ AUTHRIM_ENV, DPOP_NONCE_SECRET: undefined })).toMatchObject({
        _tag: "Failure", error: { _tag: "Misconfigured", service: "tokens", setting: "DPOP_NONCE_SECRET" }
      })
    }
  })

  it("production with the secret checks proofs; its nonces are the secret's, the same in every isolate", async () => {
    expect(await proofCheck({ AUTHRIM_ENV: "production", DPOP_NONCE_SECRET: "s".repeat(43) })).toMatchObject({ _tag: "Success", value: { valid: true } })
    expect(Effect.runSync(nonceSecret({ AUTHRIM_ENV: "production", DPOP_NONCE_SECRET: " configured " }))).toBe("configured")
  })

  it("development alone falls back to one random secret for the isolate's life", async () => {
    const first = Effect.runSync(nonceSecret({ AUTHRIM_ENV: "development" }))
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Effect.runSync(nonceSecret({ AUTHRIM_ENV: "development", DPOP_NONCE_SECRET: "" }))).toBe(first)
    expect(await proofCheck({ AUTHRIM_ENV: "development", DPOP_NONCE_SECRET: undefined })).toMatchObject({ _tag: "Success", value: { valid: true } })
  })
})
