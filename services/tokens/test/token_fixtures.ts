/**
 * Test fixtures: run the token programs against this worker's real Durable
 * Objects and the real keys service (auxiliary worker), under a clock the
 * test controls.
 */
import { base64url } from "@authrim/platform"
import type { CodeGrantInput, OAuthError, TokenSet } from "@authrim/contracts"
import { env } from "cloudflare:workers"
import { Cause, Clock, Effect, Exit } from "effect"
import { createLocalJWKSet } from "jose"
import { toJoseJwks } from "../src/verification_keys_cache.ts"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { refreshTokens } from "../src/grants/refresh_token.ts"
import { TokenStores } from "../src/token_stores.ts"
import { AuditTrail } from "@authrim/audit-trail"
import { collectingAuditTrail } from "@authrim/audit-trail/testing"

export const issuer = "https://op.example"

/** A clock that moves only when the test says so. */
export class ManualClock implements Clock.Clock {
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

/**
 * The audit events the programs run here record (a test AuditTrail that keeps them; one batch per `record` call).
 * Shared by the test file's programs; a test that asserts on it clears it first.
 */
export const audit = collectingAuditTrail()

const provided = <A, E>(effect: Effect.Effect<A, E, TokenStores | AuditTrail>, clock: Clock.Clock) =>
  effect.pipe(
    Effect.provideService(TokenStores, TokenStores.fromEnv(env)),
    Effect.provideService(AuditTrail, audit.service),
    Effect.provideService(Clock.Clock, clock)
  )

/** Runs a program; a typed failure rejects. */
export const run = <A, E>(effect: Effect.Effect<A, E, TokenStores | AuditTrail>, clock: Clock.Clock = new ManualClock()): Promise<A> =>
  Effect.runPromise(provided(effect, clock))

/** Runs a program that must fail with a typed error, and returns that error. */
export const failureOf = async <A, E>(effect: Effect.Effect<A, E, TokenStores | AuditTrail>, clock: Clock.Clock = new ManualClock()): Promise<E> => {
  const exit = await Effect.runPromiseExit(provided(effect, clock))
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  if (failure === undefined) throw Cause.squash(exit.cause)
  return failure.error
}

/** The wire code of an OAuthError failure (or the tag of another failure). */
export const codeOf = (error: OAuthError | { readonly _tag: string }): string => ("code" in error ? error.code : error._tag)

/** A fresh RFC 7636 verifier and its S256 challenge. */
export const pkcePair = async (): Promise<{ verifier: string; challenge: string }> => {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)))
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)))
  return { verifier, challenge: base64url(digest) }
}

/**
 * What the edge would hand over after a login + consent. The scope includes
 * `offline_access` (consented), so the grant gets a refresh token (issue 9 §2);
 * tests of the rule itself override it.
 */
export const grantInput = (overrides: Partial<CodeGrantInput> = {}): CodeGrantInput => ({
  clientId: "client-a",
  redirectUri: "https://rp.example/cb",
  userId: "user-1",
  scope: "openid profile email offline_access",
  codeChallenge: null,
  nonce: "n-0S6_WzA2Mj",
  authTime: Date.now() - 5_000,
  acr: "urn:authrim:acr:password",
  amr: ["pwd"],
  sid: "sid-123",
  ...overrides
})

/** Exchange input for a code, with sensible defaults. */
export const exchangeInput = (code: string, overrides: Partial<Parameters<typeof exchangeAuthorizationCode>[0]> = {}) => ({
  issuer,
  issueRefreshToken: true,
  idTokenAlg: "RS256" as const,
  code,
  clientId: "client-a",
  redirectUri: "https://rp.example/cb",
  codeVerifier: null,
  ...overrides
})

/** Refresh input with sensible defaults. */
export const refreshInput = (refreshToken: string, overrides: Partial<Parameters<typeof refreshTokens>[0]> = {}) => ({
  issuer,
  issueRefreshToken: true,
  idTokenAlg: "RS256" as const,
  refreshToken,
  clientId: "client-a",
  scope: null,
  ...overrides
})

/** Code → TokenSet in one go (confidential client, no PKCE unless given). */
export const signIn = async (clock: ManualClock, grant: Partial<CodeGrantInput> = {}, verifier: string | null = null): Promise<TokenSet> => {
  const { code } = await run(createAuthorizationCode(grantInput(grant)), clock)
  return run(exchangeAuthorizationCode(exchangeInput(code, { clientId: grant.clientId ?? "client-a", codeVerifier: verifier })), clock)
}

/** The keys service's JWKS, as an RP would fetch it (jose key set). */
export const keysJwks = async (): Promise<ReturnType<typeof createLocalJWKSet>> => {
  const result = await env.KEYS.getJwks({})
  if (result._tag !== "Success") throw new Error("keys.getJwks failed")
  return createLocalJWKSet(await Effect.runPromise(toJoseJwks(result.value.keys)))
}
