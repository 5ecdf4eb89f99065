/**
 * `signMany` (issue 10): a token response's JWS signed in one keys call. The
 * ID token's `at_hash` (OIDC Core §3.1.3.6) is computed here from the access
 * token signed just before it, since neither exists before this call.
 */
import { createLocalJWKSet, jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import { keys, keysRpc } from "./keys_rpc.ts"

const publishedJwks = async () => createLocalJWKSet({ keys: [...(await keys.getJwks()).keys] })

/** The at_hash of a token, computed independently of the service. */
const expectedAtHash = async (token: string): Promise<string> => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)))
  return Buffer.from(digest.subarray(0, 16)).toString("base64url")
}

describe("KeysService.signMany — several JWS in one call", () => {
  it.each(["RS256", "ES256"] as const)("access token RS256 then ID token %s bound by at_hash; both verify with the JWKS", async (idAlg) => {
    const { signed } = await keys.signMany({
      requests: [
        { alg: "RS256", typ: "at+jwt", payload: { sub: "user-1", jti: "j1" } },
        { alg: idAlg, typ: "JWT", payload: { sub: "user-1", aud: "rp-1" }, atHashOf: 0 }
      ]
    })
    expect(signed).toHaveLength(2)
    const jwks = await publishedJwks()
    const access = await jwtVerify(signed[0]!.jwt, jwks, { algorithms: ["RS256"], typ: "at+jwt" })
    expect(access.payload).toEqual({ sub: "user-1", jti: "j1" })
    const id = await jwtVerify(signed[1]!.jwt, jwks, { algorithms: [idAlg] })
    expect(id.payload).toEqual({ sub: "user-1", aud: "rp-1", at_hash: await expectedAtHash(signed[0]!.jwt) })
    expect(id.protectedHeader.kid).toBe(signed[1]!.kid)
  })

  it("refuses an atHashOf that does not name an earlier request", async () => {
    for (const atHashOf of [0, 1, 5]) {
      const result = await keysRpc.signMany({ requests: [{ alg: "RS256", payload: { sub: "x" }, atHashOf }] })
      expect(result).toMatchObject({ _tag: "Failure", error: { _tag: "OAuthError", code: "invalid_request" } })
    }
  })
})
