/**
 * Reading credentials and answering refusals — RFC 6750 §2.1/§3, RFC 9449
 * §4.3/§7.1. The RPC path (verifyRequest against TokensForResourceServers,
 * `protect` in a Worker) runs against the stack in
 * services/edge/e2e/resource_server.e2e.test.ts.
 */
import { AccessTokenRefused } from "@authrim/contracts"
import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { challengeOf, missingTokenResponse, presentedCredentials, refusalResponse } from "../src/index.ts"

const request = (headers: Record<string, string>, method = "GET") => new Request("https://api.example/notes?x=1", { method, headers })
const outcome = (r: Request) => Effect.runSync(Effect.exit(presentedCredentials(r)))
const failureTag = (r: Request) => {
  const exit = outcome(r)
  if (Exit.isSuccess(exit)) return "success"
  const reason = exit.cause.reasons[0]
  return reason !== undefined && reason._tag === "Fail" ? (reason.error._tag === "AccessTokenRefused" ? reason.error.error : reason.error._tag) : "defect"
}

describe("reading the credentials — RFC 6750 §2.1, RFC 9449 §7.1", () => {
  it("reads a Bearer token, case-insensitively, and a DPoP token with its proof, method and URL", () => {
    expect(Effect.runSync(presentedCredentials(request({ authorization: "bearer abc.def-ghi_~+/=" })))).toEqual({ token: "abc.def-ghi_~+/=", scheme: "Bearer" })
    expect(Effect.runSync(presentedCredentials(request({ authorization: "DPoP tok", dpop: " proof.jwt " }, "POST")))).toEqual({
      token: "tok", scheme: "DPoP", dpop: { proof: "proof.jwt", method: "POST", url: "https://api.example/notes?x=1" }
    })
  })

  it("treats no Authorization, or another scheme, as no token (AccessTokenMissing)", () => {
    expect(failureTag(request({}))).toBe("AccessTokenMissing")
    expect(failureTag(request({ authorization: "Basic dXNlcjpwYXNz" }))).toBe("AccessTokenMissing")
    expect(failureTag(request({ authorization: "Bearerabc" }))).toBe("AccessTokenMissing")
  })

  it("refuses a malformed token as invalid_token and several proofs as invalid_dpop_proof", () => {
    expect(failureTag(request({ authorization: "Bearer" }))).toBe("invalid_token")
    expect(failureTag(request({ authorization: "Bearer a b" }))).toBe("invalid_token")
    expect(failureTag(request({ authorization: "Bearer tök" }))).toBe("invalid_token")
    expect(failureTag(request({ authorization: "DPoP tok", dpop: "one.proof, two.proof" }))).toBe("invalid_dpop_proof")
    expect(failureTag(request({ authorization: "DPoP tok", dpop: "  " }))).toBe("invalid_dpop_proof")
  })
})

const refusal = (fields: Partial<ConstructorParameters<typeof AccessTokenRefused>[0]> = {}) =>
  new AccessTokenRefused({ error: "invalid_token", description: "access token expired", scheme: "Bearer", status: 401, nonce: null, ...fields })

describe("challenges — RFC 6750 §3, RFC 9449 §7.1", () => {
  it("a Bearer refusal: realm, error, error_description", () => {
    expect(challengeOf(refusal(), "notes")).toBe('Bearer realm="notes", error="invalid_token", error_description="access token expired"')
  })

  it("a DPoP refusal names the DPoP scheme and the accepted algs; quotes in descriptions are dropped", () => {
    expect(challengeOf(refusal({ scheme: "DPoP", error: "invalid_dpop_proof", description: 'bad "htu"' }), "notes"))
      .toBe('DPoP realm="notes", error="invalid_dpop_proof", error_description="bad htu", algs="ES256 ES384 PS256 RS256 EdDSA"')
  })

  it("insufficient_scope is 403 with the required scope; use_dpop_nonce sends DPoP-Nonce", async () => {
    const forbidden = refusalResponse(refusal({ error: "insufficient_scope", status: 403, description: "lacks a scope", scope: "notes:read notes:write" }), "notes")
    expect(forbidden.status).toBe(403)
    expect(forbidden.headers.get("www-authenticate")).toBe('Bearer realm="notes", error="insufficient_scope", error_description="lacks a scope", scope="notes:read notes:write"')
    expect(await forbidden.json()).toEqual({ error: "insufficient_scope", error_description: "lacks a scope" })
    const nonce = refusalResponse(refusal({ scheme: "DPoP", error: "use_dpop_nonce", nonce: "n-1", description: "use this nonce" }), "notes")
    expect(nonce.status).toBe(401)
    expect(nonce.headers.get("dpop-nonce")).toBe("n-1")
    expect(refusalResponse(refusal({ nonce: "n-1" }), "notes").headers.get("dpop-nonce")).toBeNull()
  })

  it("no credentials: 401 with a Bearer and a DPoP challenge and no error code (RFC 6750 §3.1)", () => {
    const response = missingTokenResponse("notes")
    expect(response.status).toBe(401)
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="notes", DPoP realm="notes", algs="ES256 ES384 PS256 RS256 EdDSA"')
    expect(response.headers.get("www-authenticate")).not.toContain("error=")
  })
})
