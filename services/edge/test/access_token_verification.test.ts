/**
 * The edge as resource server (RFC 9068 §4, issue 10): access tokens are
 * verified here with the JWKS in isolate memory, making the checks the tokens
 * service makes, and following key rotation within the documented delays
 * (README "Access tokens at the edge").
 */
import type { ServiceEnv } from "../src/env.ts"
import { env } from "cloudflare:workers"
import { Cause, Clock, Effect, Exit } from "effect"
import { decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose"
import { describe, expect, it } from "vitest"
import { edgeLayer } from "../src/edge_layer.ts"
import { currentJwks, forgetJwks, JWKS_MEMORY_TTL_MS, JWKS_REFETCH_SPACING_MS } from "../src/discovery/edge_jwks_cache.ts"
import { accessTokenClaims, verifyAccessTokenJwt } from "../src/resource/access_token_jwt.ts"
import { introspect } from "../src/routes/introspect.ts"
import { userinfo } from "../src/routes/userinfo.ts"
import { ORIGIN } from "./support/browser.ts"
import { seedClient } from "./support/fixtures.ts"
import { basicAuth, obtainTokens, postForm } from "./support/flows.ts"

/** A clock that moves only when the test says so. */
class ManualClock implements Clock.Clock {
  constructor(public nowMs: number = Date.now()) {}
  advance(ms: number): void {
    this.nowMs += ms
  }
  currentTimeMillisUnsafe = () => this.nowMs
  get currentTimeMillis() {
    return Effect.sync(() => this.nowMs)
  }
  currentTimeNanosUnsafe = () => BigInt(this.nowMs) * 1_000_000n
  get currentTimeNanos() {
    return Effect.sync(() => this.currentTimeNanosUnsafe())
  }
  monotonicTimeNanosUnsafe = () => this.currentTimeNanosUnsafe()
  get monotonicTimeNanos() {
    return Effect.sync(() => this.currentTimeNanosUnsafe())
  }
  sleep = () => Effect.void
}

const verify = (token: string, clock: ManualClock, issuer = ORIGIN) =>
  Effect.runPromiseExit(verifyAccessTokenJwt(issuer, token).pipe(Effect.provide(edgeLayer(env)), Effect.provideService(Clock.Clock, clock)))

/** The wire code a refused verification fails with. */
const refusal = (exit: Exit.Exit<unknown, { readonly _tag: string }>): string => {
  if (Exit.isSuccess(exit)) return "verified"
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  if (failure === undefined) throw Cause.squash(exit.cause)
  const error = failure.error as { readonly _tag: string; readonly code?: string }
  return error.code ?? error._tag
}

const tokensFor = async () => obtainTokens(await seedClient({ skipConsent: true }))

describe("access tokens verified at the edge — RFC 9068 §4", () => {
  it("a token the tokens service issued verifies here to the claims its verifyAccessToken gives", async () => {
    const { user, tokens } = await tokensFor()
    const exit = await verify(tokens.access_token, new ManualClock())
    if (Exit.isFailure(exit)) throw Cause.squash(exit.cause)
    const byTokens = await env.TOKENS.verifyAccessToken({ issuer: ORIGIN, token: tokens.access_token })
    expect(byTokens._tag).toBe("Success")
    expect(accessTokenClaims(exit.value)).toEqual(byTokens._tag === "Success" ? byTokens.value : null)
    expect(exit.value.sub).toBe(user.id)
  })

  it("refuses what tokens refuses: an ID token, a tampered, expired or other issuer's token, garbage, and a key we never published", async () => {
    const { tokens } = await tokensFor()
    const clock = new ManualClock()
    const [header, body, signature] = tokens.access_token.split(".")
    expect(refusal(await verify(tokens.id_token!, clock))).toBe("invalid_token")
    expect(refusal(await verify(`${header}.${body}x.${signature}`, clock))).toBe("invalid_token")
    expect(refusal(await verify(tokens.access_token, clock, "https://other.test"))).toBe("invalid_token")
    expect(refusal(await verify("garbage", clock))).toBe("invalid_token")
    const { privateKey } = await generateKeyPair("ES256")
    const claims = { iss: ORIGIN, aud: `${ORIGIN}/userinfo`, sub: "someone", client_id: "rp", scope: "openid", jti: "forged", auth_time: 1 }
    for (const kid of ["made-up-kid", undefined]) {
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "at+jwt", ...(kid === undefined ? {} : { kid }) })
        .setIssuedAt().setExpirationTime("1h").sign(privateKey)
      expect(refusal(await verify(forged, clock))).toBe("invalid_token")
    }
    clock.advance(3_600_000)
    expect(refusal(await verify(tokens.access_token, clock))).toBe("invalid_token")
  })

  it("after a key rotation: a new kid is fetched once the refetch spacing has passed; tokens signed before keep verifying", async () => {
    forgetJwks()
    const clock = new ManualClock()
    const before = await tokensFor()
    expect(Exit.isSuccess(await verify(before.tokens.access_token, clock))).toBe(true) // the JWKS is now in memory
    expect((await env.KEYS_ADMIN.rotate({ force: true }))._tag).toBe("Success")
    const after = await tokensFor()
    expect(decodeProtectedHeader(after.tokens.access_token).kid).not.toBe(decodeProtectedHeader(before.tokens.access_token).kid)
    clock.advance(JWKS_REFETCH_SPACING_MS - 1)
    // Within the spacing an unknown kid does not reach the keys service (a flood of made-up kids costs nothing).
    expect(refusal(await verify(after.tokens.access_token, clock))).toBe("invalid_token")
    clock.advance(1)
    expect(Exit.isSuccess(await verify(after.tokens.access_token, clock))).toBe(true)
    expect(Exit.isSuccess(await verify(before.tokens.access_token, clock))).toBe(true)
  })

  it("/jwks shows a rotated key once the isolate's copy is older than its memory TTL", async () => {
    forgetJwks()
    const clock = new ManualClock()
    const kids = async () => (await Effect.runPromise(currentJwks.pipe(Effect.provide(edgeLayer(env)), Effect.provideService(Clock.Clock, clock)))).keys.map((k) => k["kid"])
    const first = await kids()
    const rotated = await env.KEYS_ADMIN.rotate({ force: true })
    if (rotated._tag !== "Success") throw new Error("rotate failed")
    const newKids = rotated.value.keys.filter((k) => k.active).map((k) => k.kid)
    clock.advance(JWKS_MEMORY_TTL_MS - 1)
    expect(await kids()).toEqual(first)
    clock.advance(1)
    expect(await kids()).toEqual(expect.arrayContaining(newKids))
  })
})

describe("resource server calls — issue 10", () => {
  it("a revoked access token is refused at /userinfo at once (the tokens service is asked every time)", async () => {
    const client = await seedClient({ skipConsent: true })
    const { tokens } = await obtainTokens(client)
    const request = () => new Request(`${ORIGIN}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })
    const edge = edgeLayer(env)
    expect((await Effect.runPromise(userinfo(request(), { issuer: ORIGIN }).pipe(Effect.provide(edge)))).status).toBe(200)
    expect((await postForm("/revoke", { token: tokens.access_token }, client)).status).toBe(200)
    const refused = await Effect.runPromise(userinfo(request(), { issuer: ORIGIN }).pipe(Effect.provide(edge)))
    expect(refused.status).toBe(401)
    expect(refused.headers.get("www-authenticate")).toContain("error=\"invalid_token\"")
  })

  it("against a tokens worker older than checkAccessTokenUse, userinfo and introspection still answer (and still see revocation)", async () => {
    const olderTokens = {
      verifyAccessToken: (input: unknown) => env.TOKENS.verifyAccessToken(input as never),
      introspect: (input: unknown) => env.TOKENS.introspect(input as never),
      checkDpopProof: (input: unknown) => env.TOKENS.checkDpopProof(input as never)
    } as unknown as ServiceEnv["TOKENS"]
    const ctx = { issuer: ORIGIN }
    const olderEdge = edgeLayer({ ...env, TOKENS: olderTokens })
    const client = await seedClient({ skipConsent: true })
    const { user, tokens } = await obtainTokens(client)
    const userinfoRequest = () => new Request(`${ORIGIN}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })
    const served = await Effect.runPromise(userinfo(userinfoRequest(), ctx).pipe(Effect.provide(olderEdge)))
    expect(served.status).toBe(200)
    expect(await served.json()).toMatchObject({ sub: user.id })
    const introspection = await Effect.runPromise(introspect(new Request(`${ORIGIN}/introspect`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.secret!) },
      body: new URLSearchParams({ token: tokens.access_token }).toString()
    }), ctx).pipe(Effect.provide(olderEdge)))
    expect(await introspection.json()).toMatchObject({ active: true, sub: user.id, client_id: client.clientId })
    expect((await postForm("/revoke", { token: tokens.access_token }, client)).status).toBe(200)
    expect((await Effect.runPromise(userinfo(userinfoRequest(), ctx).pipe(Effect.provide(olderEdge)))).status).toBe(401)
  })
})
