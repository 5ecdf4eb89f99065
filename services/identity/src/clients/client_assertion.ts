/**
 * `private_key_jwt` client authentication (RFC 7523 §3, OIDC Core §9).
 *
 * Checks, in order; every failure is the same `invalid_client`:
 * - the client exists and is registered for `private_key_jwt`;
 * - the JWS verifies with one of its keys under an allowed asymmetric
 *   algorithm (`CLIENT_ASSERTION_ALGS`; `none` and HMAC are refused);
 * - `iss` = `sub` = client_id;
 * - `aud` names one of the caller's audiences. The edge passes the issuer,
 *   the token endpoint URL and the URL of the endpoint called: RFC 7523 §3
 *   says the token endpoint URL "MAY be used", OIDC Core §9 says the token
 *   endpoint, and FAPI 2.0 / RFC 9126 §2 recommend the issuer — all accepted;
 * - `exp` present, not passed (30 s tolerance), and at most 10 minutes ahead
 *   (a long-lived assertion is a bearer secret we would have to remember);
 * - `jti` present and never used before by this client: recorded atomically
 *   in the AssertionJtiStore until the assertion expires.
 * The jti is recorded only after everything else passed, so a forged or
 * malformed assertion cannot burn a legitimate client's jti.
 */
import { sha256Hex } from "@authrim/platform"
import { CLIENT_ASSERTION_ALGS, countCall, OAuthError, Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { jwtVerify } from "jose"
import { assertionJtiShardName } from "./assertion_jti_shard.ts"
import { loadClient } from "./client_cache.ts"
import { clientKeySource } from "./client_key_source.ts"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

/** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds. */
export const ASSERTION_CLOCK_TOLERANCE_S = 30
/** Farthest `exp` ahead of now an assertion may carry. */
export const ASSERTION_MAX_LIFETIME_MS = 10 * 60_000
/** Longest `jti` accepted (it is hashed, but an absurd one is not a real client). */
const MAX_JTI_LENGTH = 512

const invalidClient = (description: string) => new OAuthError({ code: "invalid_client", description })

/** The verified client of an assertion (and its jti consumed), or `invalid_client`. */
export const authenticateClientAssertion = Effect.fnUntraced(function*(input: { readonly clientId: string; readonly assertion: string; readonly audiences: ReadonlyArray<string> }) {
  const cached = yield* loadClient(input.clientId)
  if (!cached.found || cached.client.tokenEndpointAuthMethod !== "private_key_jwt") {
    return yield* invalidClient("client authentication failed")
  }
  const keys = clientKeySource(cached.client)
  if (keys === null || input.audiences.length === 0) return yield* invalidClient("client authentication failed")
  const now = yield* Clock.currentTimeMillis
  const { payload } = yield* Effect.tryPromise({
    try: () => jwtVerify(input.assertion, keys, {
      algorithms: [...CLIENT_ASSERTION_ALGS],
      issuer: input.clientId,
      subject: input.clientId,
      audience: [...input.audiences],
      requiredClaims: ["exp", "jti"],
      currentDate: new Date(now),
      clockTolerance: ASSERTION_CLOCK_TOLERANCE_S
    }),
    catch: () => invalidClient("client assertion did not verify")
  })
  const expMs = (payload.exp ?? 0) * 1000
  if (expMs - now > ASSERTION_MAX_LIFETIME_MS) return yield* invalidClient("client assertion exp is too far in the future")
  const jti = payload.jti ?? ""
  if (jti === "" || jti.length > MAX_JTI_LENGTH) return yield* invalidClient("client assertion jti is missing or too long")
  const key = yield* sha256Hex(`${input.clientId}\n${jti}`)
  const { assertionJtis: jtis } = yield* IdentityBindings
  const stub = jtis.get(jtis.idFromName(assertionJtiShardName(input.clientId)))
  yield* countCall("durableObjectCalls")
  const fresh = yield* Effect.tryPromise({
    try: () => stub.use(key, expMs + ASSERTION_CLOCK_TOLERANCE_S * 1000),
    catch: (e) => new Unavailable({ service: serviceName, reason: `AssertionJtiStore.use: ${String(e)}` })
  })
  if (!fresh) return yield* invalidClient("client assertion already used (jti replay)")
  return cached.client
})
