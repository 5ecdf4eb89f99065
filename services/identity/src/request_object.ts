/**
 * Signed request objects by value (JAR, RFC 9101 §6.1 / OIDC Core §6.1).
 *
 * The JWS must verify with one of the client's registered keys (`jwks` by
 * value or `jwks_uri`, the same key source as `private_key_jwt`) under an
 * asymmetric algorithm of `REQUEST_OBJECT_ALGS` — `alg: none` and HMAC are
 * refused, so an unsigned object can never smuggle parameters past the
 * client's key. `iss` must be the client_id and `aud` must name the issuer
 * when present (RFC 9101 §4 says SHOULD; when present they must be right);
 * `exp` and `nbf` are enforced when present. Every failure is the same
 * `invalid_request_object`; the edge sends it to the registered redirect_uri.
 */
import { OAuthError, REQUEST_OBJECT_ALGS } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { jwtVerify } from "jose"
import { loadClient } from "./client_cache.ts"
import { clientKeySource } from "./client_key_source.ts"

/** Clock skew tolerated on `exp` and `nbf`, in seconds. */
export const REQUEST_OBJECT_CLOCK_TOLERANCE_S = 30

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
  if (payload.iss !== undefined && payload.iss !== input.clientId) return yield* invalidRequestObject("request object iss is not the client_id")
  if (payload.aud !== undefined) {
    const audiences = typeof payload.aud === "string" ? [payload.aud] : payload.aud
    if (!audiences.includes(input.issuer)) return yield* invalidRequestObject("request object aud does not name this issuer")
  }
  return { claims: { ...payload } }
})
