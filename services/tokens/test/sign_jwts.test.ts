/**
 * Issue 10: a token response is ONE keys call (`signMany`). Deployed before
 * the keys worker that has it, the tokens worker still issues: a keys service
 * without `signMany` gets one `sign` per token, with the same `at_hash`.
 */
import { base64url } from "@authrim/platform"
import { env } from "cloudflare:workers"
import { jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { KeysContract, makeClient, type KeysRpc } from "@authrim/contracts"
import { signJwts, type JwtToSign } from "../src/sign_jwt.ts"
import { TokenStores } from "../src/token_stores.ts"
import { keysJwks } from "./token_fixtures.ts"

const atHashOf = async (token: string) =>
  base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))).slice(0, 16))

const batch: ReadonlyArray<JwtToSign> = [
  { alg: "RS256", typ: "at+jwt", payload: { sub: "user-1", jti: "j-1" } },
  { alg: "ES256", typ: "JWT", payload: { sub: "user-1", aud: "client-a" }, atHashOf: 0 }
]

const signWith = (keys: KeysRpc) => {
  const stores = TokenStores.fromEnv(env)
  return Effect.runPromise(signJwts(batch).pipe(
    Effect.provideService(TokenStores, TokenStores.of({ ...stores, keys: makeClient("keys", KeysContract, keys) }))))
}

describe("signing a token response — one keys call, old keys service still served", () => {
  it.each([
    ["keys with signMany", () => env.KEYS],
    // An older keys worker: no signMany method on the binding.
    ["keys without signMany", () => ({
      getJwks: (i: Parameters<KeysRpc["getJwks"]>[0]) => env.KEYS.getJwks(i),
      sign: (i: Parameters<KeysRpc["sign"]>[0]) => env.KEYS.sign(i)
    }) as unknown as KeysRpc]
  ] as const)("%s: both tokens verify and the ID token's at_hash binds the access token", async (_name, keys) => {
    const [access, id] = await signWith(keys())
    const jwks = await keysJwks()
    expect((await jwtVerify(access!, jwks, { typ: "at+jwt" })).payload).toEqual({ sub: "user-1", jti: "j-1" })
    expect((await jwtVerify(id!, jwks)).payload).toEqual({ sub: "user-1", aud: "client-a", at_hash: await atHashOf(access!) })
  })
})
