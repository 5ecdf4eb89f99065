/**
 * `signTokens` (KeysForTokens; issue 13 §2): the keys service signs only the
 * token kinds it knows, sets their header itself and refuses a claim set
 * that breaks its kind's rules (src/token_claim_rules.ts), with
 * `SigningRefused`. One call signs a token response (issue 10); an ID token's
 * `at_hash` (OIDC Core §3.1.3.6) is computed here from the access token
 * signed just before it.
 */
import { createExecutionContext } from "cloudflare:test"
import { env } from "cloudflare:workers"
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose"
import { describe, expect, it } from "vitest"
import { BACKCHANNEL_LOGOUT_EVENT, TokenKind, type TokenToSign } from "@authrim/contracts"
import { Effect } from "effect"
import { KeysForTokens } from "../src/keys_entrypoints.ts"
import { maxLifetimeSeconds } from "../src/token_claim_rules.ts"
import { issuerRuleOf, issRefusal } from "../src/token_issuer.ts"
import { keys, testIssuer, validClaims } from "./keys_rpc.ts"

const publishedJwks = async () => createLocalJWKSet({ keys: [...(await keys.getJwks()).keys] })

/** The raw envelope of one `signTokens` call (refusals are values, not throws). */
const signRaw = (tokens: ReadonlyArray<TokenToSign>) => env.KEYS_FOR_TOKENS.signTokens({ tokens })

const expectRefused = async (kind: TokenKind, claims: Record<string, unknown>, reason: string | RegExp) => {
  const result = await signRaw([{ kind, alg: "RS256", claims }])
  expect(result, JSON.stringify(claims)).toMatchObject({ _tag: "Failure", error: { _tag: "SigningRefused", kind, reason } })
}

/** `claims` without `name`. */
const without = (claims: Record<string, unknown>, name: string) => Object.fromEntries(Object.entries(claims).filter(([k]) => k !== name))

/** The at_hash of a token, computed independently of the service. */
const expectedAtHash = async (token: string): Promise<string> => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)))
  return Buffer.from(digest.subarray(0, 16)).toString("base64url")
}

const kinds = TokenKind.literals
const typs = { id_token: "JWT", access_token: "at+jwt", logout_token: "logout+jwt", authorization_response: "JWT", token_introspection: "token-introspection+jwt" } as const
/** Every kind with an `exp` (all but the RFC 9701 introspection response). */
const expiringKinds = kinds.filter((kind): kind is Exclude<TokenKind, "token_introspection"> => kind !== "token_introspection")

describe("signTokens — each kind with its typ, verifiable with the published JWKS", () => {
  it.each(kinds.flatMap((kind) => (["RS256", "ES256"] as const).map((alg) => [kind, alg] as const)))("%s %s: header {alg, kid, typ}, claims as given", async (kind, alg) => {
    const claims = validClaims(kind)
    const { signed } = await keys.signTokens({ tokens: [{ kind, alg, claims }] })
    const verified = await jwtVerify(signed[0]!.jwt, await publishedJwks(), { algorithms: [alg], typ: typs[kind] })
    expect(verified.protectedHeader).toEqual({ alg, kid: signed[0]!.kid, typ: typs[kind] })
    expect(verified.payload).toEqual(claims)
  })

  it("the caller cannot set typ, kid or any header: extra fields are dropped, the header is the kind's", async () => {
    const sneaky = { kind: "access_token" as const, alg: "RS256" as const, claims: validClaims("access_token"), typ: "JWT", kid: "attacker", header: { typ: "JWT", jku: "https://evil.example/jwks" }, protectedHeader: { crit: ["x"] } }
    const { signed } = await keys.signTokens({ tokens: [sneaky] })
    const header = decodeProtectedHeader(signed[0]!.jwt)
    expect(header).toEqual({ alg: "RS256", kid: signed[0]!.kid, typ: "at+jwt" })
    expect(signed[0]!.kid).not.toBe("attacker")
  })

  it("an unknown kind is refused at the contract: the call rejects (a malformed input, rpc.ts serve) and signs nothing", async () => {
    // Called on the entrypoint class in this isolate: over the self-binding, the callee's throw would also surface as an unhandled rejection.
    const entrypoint = new KeysForTokens(createExecutionContext(), env)
    for (const kind of ["refresh_token", "JWT", "", undefined]) {
      const input = { tokens: [{ kind, alg: "RS256", claims: validClaims("id_token") }] }
      await expect(Reflect.apply(entrypoint.signTokens, entrypoint, [input])).rejects.toThrow(/id_token/)
    }
  })
})

describe("signTokens — a token response in one call, the ID token bound by at_hash", () => {
  it.each(["RS256", "ES256"] as const)("access token RS256 then ID token %s: at_hash of the access token, both verify", async (idAlg) => {
    const { signed } = await keys.signTokens({
      tokens: [
        { kind: "access_token", alg: "RS256", claims: validClaims("access_token") },
        { kind: "id_token", alg: idAlg, claims: validClaims("id_token"), atHashOf: 0 }
      ]
    })
    expect(signed).toHaveLength(2)
    const jwks = await publishedJwks()
    await jwtVerify(signed[0]!.jwt, jwks, { algorithms: ["RS256"], typ: "at+jwt" })
    const id = await jwtVerify(signed[1]!.jwt, jwks, { algorithms: [idAlg], typ: "JWT" })
    expect(id.payload).toEqual({ ...validClaims("id_token"), iat: id.payload.iat, exp: id.payload.exp, at_hash: await expectedAtHash(signed[0]!.jwt) })
  })

  it("refuses an atHashOf that names no earlier access token, on an id_token only; and a caller's own at_hash", async () => {
    const access: TokenToSign = { kind: "access_token", alg: "RS256", claims: validClaims("access_token") }
    const logout: TokenToSign = { kind: "logout_token", alg: "RS256", claims: validClaims("logout_token") }
    const id = (atHashOf: number): TokenToSign => ({ kind: "id_token", alg: "RS256", claims: validClaims("id_token"), atHashOf })
    for (const [tokens, reason] of [
      [[id(0)], "atHashOf must name an earlier token of the batch"],
      [[access, id(1)], "atHashOf must name an earlier token of the batch"],
      [[access, id(5)], "atHashOf must name an earlier token of the batch"],
      [[access, id(-1)], "atHashOf must name an earlier token of the batch"],
      [[access, id(0.5)], "atHashOf must name an earlier token of the batch"],
      [[logout, id(0)], "atHashOf must name an access_token"],
      [[access, { ...access, atHashOf: 0 }], "atHashOf is only for an id_token"]
    ] as const) {
      expect(await signRaw(tokens)).toMatchObject({ _tag: "Failure", error: { _tag: "SigningRefused", reason } })
    }
    await expectRefused("id_token", { ...validClaims("id_token"), at_hash: "forged" }, /at_hash/)
  })

  it("one refused token fails the whole batch: nothing is returned signed", async () => {
    const result = await signRaw([
      { kind: "access_token", alg: "RS256", claims: validClaims("access_token") },
      { kind: "id_token", alg: "RS256", claims: { ...validClaims("id_token"), iss: "https://evil.example" } }
    ])
    expect(result).toMatchObject({ _tag: "Failure", error: { _tag: "SigningRefused", kind: "id_token", reason: "iss is not this deployment's issuer" } })
    expect(result).not.toHaveProperty("value")
  })
})

describe("signTokens — refusals (SigningRefused)", () => {
  it("iss other than this deployment's ISSUER, or missing", async () => {
    for (const kind of kinds) {
      for (const iss of ["https://evil.example", `${testIssuer}/`, `${testIssuer}/tenant`, "http://op.test"]) {
        await expectRefused(kind, { ...validClaims(kind), iss }, "iss is not this deployment's issuer")
      }
      await expectRefused(kind, without(validClaims(kind), "iss"), "iss is missing")
    }
  })

  it("a missing required claim of each kind", async () => {
    const required = {
      id_token: ["iss", "sub", "aud", "iat", "exp"],
      access_token: ["iss", "sub", "aud", "iat", "exp", "jti", "client_id"],
      logout_token: ["iss", "aud", "iat", "exp", "jti", "events"],
      authorization_response: ["iss", "aud", "iat", "exp"],
      token_introspection: ["iss", "aud", "iat", "token_introspection"]
    } as const
    for (const kind of kinds) {
      for (const name of required[kind]) await expectRefused(kind, without(validClaims(kind), name), new RegExp(name))
      // Present but not what it must be.
      await expectRefused(kind, { ...validClaims(kind), aud: [] }, "aud is missing")
      await expectRefused(kind, { ...validClaims(kind), iat: "now" }, "iat is missing")
    }
    await expectRefused("id_token", { ...validClaims("id_token"), sub: "" }, "sub is missing")
    await expectRefused("access_token", { ...validClaims("access_token"), client_id: 7 }, "client_id is missing")
  })

  it("exp not after iat", async () => {
    for (const kind of expiringKinds) {
      const { iat } = validClaims(kind) as { iat: number }
      await expectRefused(kind, { ...validClaims(kind), exp: iat }, "exp is not after iat")
      await expectRefused(kind, { ...validClaims(kind), exp: iat - 1 }, "exp is not after iat")
    }
  })

  it("a lifetime over the kind's maximum is refused; exactly the maximum is signed", async () => {
    expect(maxLifetimeSeconds).toEqual({ id_token: 86_400, access_token: 86_400, logout_token: 600, authorization_response: 600 })
    for (const kind of expiringKinds) {
      const { iat } = validClaims(kind) as { iat: number }
      await expectRefused(kind, { ...validClaims(kind), exp: iat + maxLifetimeSeconds[kind] + 1 }, `lifetime exceeds ${maxLifetimeSeconds[kind]} s`)
      await keys.signTokens({ tokens: [{ kind, alg: "ES256", claims: { ...validClaims(kind), exp: iat + maxLifetimeSeconds[kind] } }] })
    }
  })

  it("a logout token: no nonce, the back-channel event, and sub and/or sid", async () => {
    const logout = validClaims("logout_token")
    await expectRefused("logout_token", { ...logout, nonce: "n" }, "a logout token must not carry nonce")
    await expectRefused("logout_token", { ...logout, events: { "http://schemas.openid.net/event/other": {} } }, "events lacks the back-channel logout event")
    await expectRefused("logout_token", { ...logout, events: { [BACKCHANNEL_LOGOUT_EVENT]: "yes" } }, "events lacks the back-channel logout event")
    await expectRefused("logout_token", without(logout, "sid"), "sub or sid is missing")
    await expectRefused("logout_token", { ...logout, sub: 42 }, "sub is not a string")
    // sub alone, and sub with sid, are both logout tokens.
    await keys.signTokens({ tokens: [{ kind: "logout_token", alg: "RS256", claims: { ...without(logout, "sid"), sub: "user-1" } }] })
    await keys.signTokens({ tokens: [{ kind: "logout_token", alg: "RS256", claims: { ...logout, sub: "user-1" } }] })
  })

  it("an ID or access token never carries the logout event (it could pass for a logout token)", async () => {
    for (const kind of ["id_token", "access_token"] as const) {
      await expectRefused(kind, { ...validClaims(kind), events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } }, "events is only for logout tokens")
    }
  })
})

describe("signTokens — RFC 8693 §4.1 act (token exchange)", () => {
  it("an access token with act { sub } and a nested act is signed as given", async () => {
    const claims = { ...validClaims("access_token"), act: { sub: "worker-b", act: { sub: "worker-a" } } }
    const { signed } = await keys.signTokens({ tokens: [{ kind: "access_token", alg: "RS256", claims }] })
    const verified = await jwtVerify(signed[0]!.jwt, await publishedJwks(), { algorithms: ["RS256"], typ: "at+jwt" })
    expect(verified.payload["act"]).toEqual({ sub: "worker-b", act: { sub: "worker-a" } })
  })

  it("act must be an object with a string sub, at every level", async () => {
    const access = validClaims("access_token")
    for (const act of ["worker-b", { sub: 7 }, { name: "worker-b" }, ["worker-b"], { sub: "worker-b", act: "worker-a" }, { sub: "worker-b", act: { sub: "" } }]) {
      await expectRefused("access_token", { ...access, act }, "act is not an object with a string sub")
    }
  })

  it("a delegation chain deeper than 8 is refused; act is only for access tokens", async () => {
    let act: Record<string, unknown> = { sub: "worker-0" }
    for (let i = 1; i < 9; i++) act = { sub: `worker-${i}`, act }
    await expectRefused("access_token", { ...validClaims("access_token"), act }, "act nests deeper than 8")
    await expectRefused("id_token", { ...validClaims("id_token"), act: { sub: "worker-b" } }, "act is only for access tokens")
  })
})

describe("signTokens — JARM authorization responses (kind authorization_response)", () => {
  const response = validClaims("authorization_response")

  it("a code or an error response is signed; every parameter must be a non-empty string", async () => {
    const errorResponse = { ...without(response, "code"), error: "access_denied", error_description: "the user said no" }
    const { signed } = await keys.signTokens({ tokens: [{ kind: "authorization_response", alg: "RS256", claims: errorResponse }] })
    const verified = await jwtVerify(signed[0]!.jwt, await publishedJwks(), { algorithms: ["RS256"], typ: "JWT" })
    expect(verified.payload).toEqual(errorResponse)
    await expectRefused("authorization_response", { ...response, state: 7 }, "state is not a non-empty string")
    await expectRefused("authorization_response", { ...response, code: "" }, "code is not a non-empty string")
  })

  it("exactly one of code and error", async () => {
    await expectRefused("authorization_response", without(response, "code"), "exactly one of code and error is required")
    await expectRefused("authorization_response", { ...response, error: "access_denied" }, "exactly one of code and error is required")
  })

  it("never carries a claim that could make it pass for another token", async () => {
    for (const name of ["sub", "nonce", "jti", "client_id", "scope"]) {
      await expectRefused("authorization_response", { ...response, [name]: "x" }, `${name} is not an authorization response parameter`)
    }
    await expectRefused("authorization_response", { ...response, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } }, "events is not an authorization response parameter")
    await expectRefused("authorization_response", { ...response, token_introspection: { active: true } }, "token_introspection is not an authorization response parameter")
  })
})

describe("signTokens — RFC 9701 introspection responses (kind token_introspection)", () => {
  const response = validClaims("token_introspection")

  it("an inactive response is signed too, with typ token-introspection+jwt", async () => {
    const claims = { ...response, token_introspection: { active: false } }
    const { signed } = await keys.signTokens({ tokens: [{ kind: "token_introspection", alg: "ES256", claims }] })
    const verified = await jwtVerify(signed[0]!.jwt, await publishedJwks(), { algorithms: ["ES256"], typ: "token-introspection+jwt" })
    expect(verified.payload).toEqual(claims)
  })

  it("token_introspection must be an object with a boolean active", async () => {
    for (const body of [{}, { active: "true" }, [true], "active", null]) {
      await expectRefused("token_introspection", { ...response, token_introspection: body }, "token_introspection lacks a boolean active")
    }
  })

  it("no exp and no sub (RFC 9701 §5: it must not pass for an access token); no logout event", async () => {
    const { iat } = response as { iat: number }
    await expectRefused("token_introspection", { ...response, exp: iat + 60 }, "an introspection response must not carry exp (RFC 9701 §5)")
    await expectRefused("token_introspection", { ...response, sub: "user-1" }, "an introspection response must not carry sub (RFC 9701 §5)")
    await expectRefused("token_introspection", { ...response, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } }, "events is only for logout tokens")
  })

  it("an access token's claims are never signed as an introspection response", async () => {
    await expectRefused("token_introspection", validClaims("access_token"), "token_introspection lacks a boolean active")
  })
})

describe("signTokens — the issuer setting (src/token_issuer.ts)", () => {
  it("production requires ISSUER: unset, signing is Misconfigured naming it (the JWKS still answers)", async () => {
    const production = new KeysForTokens(createExecutionContext(), { ...env, AUTHRIM_ENV: "production", ISSUER: undefined })
    const result = await production.signTokens({ tokens: [{ kind: "id_token", alg: "RS256", claims: validClaims("id_token") }] })
    expect(result).toMatchObject({ _tag: "Failure", error: { _tag: "Misconfigured", service: "keys", setting: "ISSUER" } })
    expect((await production.getJwks({}))._tag).toBe("Success")
  })

  it("production with ISSUER: exactly it (a trailing slash in the setting is dropped, as the edge does)", async () => {
    const production = new KeysForTokens(createExecutionContext(), { ...env, AUTHRIM_ENV: "production", ISSUER: ` ${testIssuer}/ ` })
    const ok = await production.signTokens({ tokens: [{ kind: "id_token", alg: "RS256", claims: validClaims("id_token") }] })
    expect(ok._tag).toBe("Success")
    const other = await production.signTokens({ tokens: [{ kind: "id_token", alg: "RS256", claims: { ...validClaims("id_token"), iss: "https://evil.example" } }] })
    expect(other).toMatchObject({ _tag: "Failure", error: { _tag: "SigningRefused" } })
  })

  it("development without ISSUER (the vitest stacks): any http(s) URL, nothing else", () => {
    const rule = Effect.runSync(issuerRuleOf({ AUTHRIM_ENV: "development" }))
    expect(rule).toBeNull()
    expect(issRefusal("https://op.example", rule)).toBeNull()
    expect(issRefusal("http://127.0.0.1:8787", rule)).toBeNull()
    expect(issRefusal("op.example", rule)).toBe("iss is not an absolute URL")
    expect(issRefusal("javascript:alert(1)", rule)).toBe("iss is not an http(s) URL")
    expect(issRefusal(undefined, rule)).toBe("iss is missing")
    expect(Effect.runSync(issuerRuleOf({ AUTHRIM_ENV: "development", ISSUER: "https://id.example.com/" }))).toBe("https://id.example.com")
    expect(Effect.runSync(Effect.flip(issuerRuleOf({ AUTHRIM_ENV: "staging" })))).toMatchObject({ _tag: "Misconfigured", setting: "ISSUER" })
  })
})

describe("signTokens — authrim_user (OIDC Core §8.1 pairwise subjects)", () => {
  it("an ID or access token may carry the sealed real user as a string", async () => {
    for (const kind of ["id_token", "access_token"] as const) {
      const { signed } = await keys.signTokens({ tokens: [{ kind, alg: "RS256", claims: { ...validClaims(kind), authrim_user: "c2VhbGVk" } }] })
      expect(signed).toHaveLength(1)
    }
  })

  it("not as anything else, and never on a logout token", async () => {
    await expectRefused("access_token", { ...validClaims("access_token"), authrim_user: 7 }, "authrim_user is not a string")
    await expectRefused("id_token", { ...validClaims("id_token"), authrim_user: "" }, "authrim_user is not a string")
    await expectRefused("logout_token", { ...validClaims("logout_token"), authrim_user: "c2VhbGVk" }, "authrim_user is only for ID and access tokens")
  })
})
