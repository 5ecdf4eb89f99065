/**
 * Signing through keys' typed `signTokens` (issue 10, issue 13 §2): a token
 * response is ONE keys call; keys sets each kind's `typ` and binds the ID
 * token to the access token (`at_hash`); a claim set keys refuses is a
 * `server_error` for the client, never its own `invalid_request`.
 */
import { base64url } from "@authrim/platform"
import { env } from "cloudflare:workers"
import { decodeProtectedHeader, jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { makeClient, type KeysPublicRpc, type KeysSigningRpc } from "@authrim/contracts"
import { signJwts, type JwtToSign } from "../src/sign_jwt.ts"
import { keysForTokens, TokenStores } from "../src/token_stores.ts"
import { issuer, keysJwks } from "./token_fixtures.ts"

const atHashOf = async (token: string) =>
  base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))).slice(0, 16))

const now = Math.floor(Date.now() / 1000)
const accessClaims = { iss: issuer, sub: "user-1", aud: `${issuer}/userinfo`, iat: now, exp: now + 3_600, jti: "j-1", client_id: "client-a" }
const idClaims = { iss: issuer, sub: "user-1", aud: "client-a", iat: now, exp: now + 3_600 }

/** The real `KEYS` binding, its `signTokens` calls counted (each forwarded as it is). */
const countingKeys = () => {
  let calls = 0
  const binding: KeysSigningRpc & KeysPublicRpc = {
    signTokens: (input, meta) => {
      calls++
      return env.KEYS.signTokens(input, meta)
    },
    getJwks: (input, meta) => env.KEYS.getJwks(input, meta)
  }
  return { binding, calls: () => calls }
}

const signWith = (binding: KeysSigningRpc & KeysPublicRpc, batch: ReadonlyArray<JwtToSign>) => {
  const stores = TokenStores.fromEnv(env)
  return Effect.runPromise(Effect.result(signJwts(batch).pipe(
    Effect.provideService(TokenStores, TokenStores.of({ ...stores, keys: makeClient("keys", keysForTokens, binding) })))))
}

describe("signing a token response — one typed keys call", () => {
  it("signs the access and ID token in one call; keys sets typ per kind and the ID token's at_hash", async () => {
    const keys = countingKeys()
    const result = await signWith(keys.binding, [
      { kind: "access_token", alg: "RS256", claims: accessClaims },
      { kind: "id_token", alg: "ES256", claims: idClaims, atHashOf: 0 }
    ])
    if (result._tag !== "Success") throw new Error(JSON.stringify(result))
    const [access, id] = result.success
    expect(keys.calls()).toBe(1)
    const jwks = await keysJwks()
    expect(decodeProtectedHeader(access!).typ).toBe("at+jwt")
    expect(decodeProtectedHeader(id!).typ).toBe("JWT")
    expect((await jwtVerify(access!, jwks, { typ: "at+jwt" })).payload).toEqual(accessClaims)
    expect((await jwtVerify(id!, jwks)).payload).toEqual({ ...idClaims, at_hash: await atHashOf(access!) })
  })

  it("a claim set keys refuses is a server_error, not the client's invalid_request", async () => {
    const { jti: _jti, ...withoutJti } = accessClaims
    const result = await signWith(countingKeys().binding, [{ kind: "access_token", alg: "RS256", claims: withoutJti }])
    expect(result._tag === "Failure" && result.failure).toMatchObject({ _tag: "OAuthError", code: "server_error" })
  })
})
