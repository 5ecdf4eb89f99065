/**
 * Signed request objects by value (JAR, RFC 9101 §6.1 / OIDC Core §6.1).
 *
 * The JWS must verify with one of the client's registered keys (`jwks` by
 * value or `jwks_uri`, the same key source as `private_key_jwt`) under an
 * asymmetric algorithm of `REQUEST_OBJECT_ALGS` — `alg: none` and HMAC are
 * refused, so an unsigned object can never smuggle parameters past the
 * client's key. `iss` (= the client_id), `aud` (naming the issuer) and `exp`
 * are REQUIRED (issue 9 §5; RFC 9101 §4 says SHOULD, FAPI 2.0 Message Signing
 * and RFC 9700 §4.x ask for them): without them a request object signed for
 * another provider, or captured once, could be replayed here forever. `exp`
 * may be at most {@link REQUEST_OBJECT_MAX_LIFETIME_S} ahead (FAPI 2.0: 60
 * minutes) and not past; `nbf` is enforced when present. Every failure is the
 * same `invalid_request_object`; the edge sends it to the registered
 * redirect_uri (or answers it as JSON at /par).
 */
import { OAuthError, REQUEST_OBJECT_ALGS } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { jwtVerify } from "jose"
import { loadClient } from "./client_cache.ts"
import { clientKeySource } from "./client_key_source.ts"

/** Clock skew tolerated on `exp` and `nbf`, in seconds. */
export const REQUEST_OBJECT_CLOCK_TOLERANCE_S = 30

/** Furthest ahead a request object's `exp` may be: 60 minutes (FAPI 2.0 Message Signing §5.3.1). */
export const REQUEST_OBJECT_MAX_LIFETIME_S = 60 * 60

const invalidRequestObject = (description: string) => new OAuthError({ code: "invalid_request_object", description })

/** The verified claims of `requestObject`, or `invalid_request_object`. */
export const verifyRequestObject = Effect.fnUntraced(function*(
  input: { readonly clientId: string; readonly requestObject: string; readonly issuer: string }
) {
  const cached = yield* loadClient(input.clientId)
  if (!cached.found) return yield* invalidRequestObject("unknown client")
  const keys = clientKeySource(cached.client)
  if (keys === null) return yield* invalidRequestObject("the client has no registered keys to verify request objects")
  const now = yield* Clock.currentTimeMillis
  const { payload } = yield* Effect.tryPromise({
    try: () => jwtVerify(input.requestObject, keys, {
      algorithms: [...REQUEST_OBJECT_ALGS],
      currentDate: new Date(now),
      clockTolerance: REQUEST_OBJECT_CLOCK_TOLERANCE_S
    }),
    catch: () => invalidRequestObject("request object did not verify")
  })
  if (payload.iss === undefined) return yield* invalidRequestObject("request object iss is required")
  if (payload.iss !== input.clientId) return yield* invalidRequestObject("request object iss is not the client_id")
  if (payload.aud === undefined) return yield* invalidRequestObject("request object aud is required")
  const audiences = typeof payload.aud === "string" ? [payload.aud] : payload.aud
  if (!audiences.includes(input.issuer)) return yield* invalidRequestObject("request object aud does not name this issuer")
  // jwtVerify has already refused an `exp` in the past (beyond the tolerance) or one that is not a number.
  if (payload.exp === undefined) return yield* invalidRequestObject("request object exp is required")
  if (payload.exp > Math.floor(now / 1000) + REQUEST_OBJECT_MAX_LIFETIME_S + REQUEST_OBJECT_CLOCK_TOLERANCE_S) {
    return yield* invalidRequestObject(`request object exp is more than ${REQUEST_OBJECT_MAX_LIFETIME_S / 60} minutes ahead`)
  }
  return { claims: { ...payload } }
})
