/**
 * RFC 8693 §2.1: the subject and actor tokens of a token exchange, each an
 * Authrim access token verified as a resource server would (signature with our
 * keys, `typ` at+jwt, `iss`, `exp`) plus the revocation check. `aud` is not
 * checked: the subject token was issued for some other resource (the worker
 * that now exchanges it), which is the point of the exchange.
 *
 * Anything wrong is `invalid_request` naming the parameter (§2.2.2: "If … either
 * the subject_token or actor_token are invalid for any reason, or are
 * unacceptable based on policy, … the error code … invalid_request").
 */
import { OAuthError, type AccessTokenPayload, type Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import { decodeJwt } from "jose"
import type { TokenStores } from "../token_stores.ts"
import { isAccessTokenRevoked, issuedTo, verifyAccessJwt } from "../verify_access_token.ts"

/** The verified payload and the claims the access token schema does not name (read after verification). */
export interface PartyToken {
  readonly payload: AccessTokenPayload
  /** RFC 8693 §4.1 `act` of the token, when it is itself the result of an exchange. */
  readonly act: Readonly<Record<string, unknown>> | null
  readonly acr: string | null
  readonly amr: ReadonlyArray<string>
}

const unacceptable = (parameter: string, why: string) => new OAuthError({ code: "invalid_request", description: `${parameter} ${why}` })

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === "object" && value !== null && !Array.isArray(value)

/** Verifies `token` (the `parameter` of the request) as one of this issuer's live access tokens. */
export const verifyPartyToken = Effect.fnUntraced(function*(issuer: string, parameter: "subject_token" | "actor_token", token: string): Effect.fn.Return<PartyToken, OAuthError | Unavailable, TokenStores> {
  const payload = yield* verifyAccessJwt(null, token).pipe(
    Effect.catchTag("OAuthError", (e) => Effect.fail(unacceptable(parameter, e.description === "access token expired" ? "is expired" : "is not a valid access token of this issuer")))
  )
  if (payload.iss !== issuer) return yield* unacceptable(parameter, "is not a valid access token of this issuer")
  if (yield* isAccessTokenRevoked(payload.jti, issuedTo(payload))) return yield* unacceptable(parameter, "is revoked")
  // The signature is verified: the claims the payload schema drops are read from the same token.
  const raw = decodeJwt(token)
  const acr = raw["acr"]
  const amr = raw["amr"]
  return {
    payload,
    act: isObject(raw["act"]) ? raw["act"] : null,
    acr: typeof acr === "string" ? acr : null,
    amr: Array.isArray(amr) ? amr.filter((m): m is string => typeof m === "string") : []
  }
})
