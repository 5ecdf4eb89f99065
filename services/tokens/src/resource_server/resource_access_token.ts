/**
 * verifyAccessToken of `TokensForResourceServers` (issue 13 §1): a resource
 * server's question "may this request use this token?". The JWT checks are
 * verify_access_token.ts's with the resource server's own audience; then the
 * revocation list; then the DPoP rules at a protected resource (RFC 9449 §7,
 * the same rules the edge applies at /userinfo, services/edge/src/dpop/resource_dpop.ts):
 * a bound token (`cnf.jkt`) only under the DPoP scheme with a valid proof made
 * with the bound key (the proof's jti is burnt in the DPoP jti store), an
 * unbound token never under DPoP; last the required scopes.
 * Every refusal is an `AccessTokenRefused` naming the RFC 6750 / 9449 error
 * and the challenge scheme; a store outage is `Unavailable`; an empty issuer
 * or audience (the resource server's own missing setting) is `Misconfigured`.
 */
import {
  AccessTokenRefused, Misconfigured, type PresentedScheme, type ResourceErrorCode, type Unavailable,
  type VerifiedAccessToken, type VerifyAccessTokenRequest
} from "@authrim/contracts"
import { Effect } from "effect"
import { checkDpopProof } from "../dpop/check_dpop_proof.ts"
import type { DpopStores } from "../dpop/dpop_stores.ts"
import type { TokenStores } from "../token_stores.ts"
import { isAccessTokenRevoked, issuedTo, verifyAccessJwt } from "../verify_access_token.ts"

const statusOf = (error: ResourceErrorCode): 400 | 401 | 403 =>
  error === "insufficient_scope" ? 403 : error === "invalid_request" ? 400 : 401

const refused = (error: ResourceErrorCode, description: string, scheme: PresentedScheme, extra: { nonce?: string; scope?: string } = {}) =>
  new AccessTokenRefused({ error, description, scheme, status: statusOf(error), nonce: extra.nonce ?? null, ...(extra.scope === undefined ? {} : { scope: extra.scope }) })

const audienceList = (aud: string | ReadonlyArray<string>): Array<string> => (typeof aud === "string" ? [aud] : [...aud])

/** Splits an RFC 6749 §3.3 scope string. */
export const scopesOf = (scope: string): Array<string> => scope.split(" ").filter((s) => s !== "")

/** The resource server's verification of one presented token. */
export const verifyForResourceServer = Effect.fnUntraced(function*(
  input: VerifyAccessTokenRequest
): Effect.fn.Return<VerifiedAccessToken, AccessTokenRefused | Unavailable | Misconfigured, TokenStores | DpopStores> {
  const scheme: PresentedScheme = input.scheme ?? (input.dpop === undefined ? "Bearer" : "DPoP")
  if (input.issuer === "" || input.audience === "") {
    // The resource server's own setting is missing: its fault, not the client's (no 4xx to the client; the client package answers 503).
    return yield* new Misconfigured({ service: "resource server", setting: input.issuer === "" ? "issuer" : "audience", reason: "is empty" })
  }
  const payload = yield* verifyAccessJwt(input.issuer, input.token, input.audience).pipe(
    Effect.catchTag("OAuthError", (e) => Effect.fail(refused("invalid_token", e.description, scheme)))
  )
  const bound = payload.cnf?.jkt
  // RFC 9449 §7.1: a DPoP-bound token (or any DPoP use) is challenged with the DPoP scheme.
  const challenge: PresentedScheme = bound !== undefined || scheme === "DPoP" ? "DPoP" : "Bearer"
  if (yield* isAccessTokenRevoked(payload.jti, issuedTo(payload))) return yield* refused("invalid_token", "access token revoked", challenge)
  if (bound === undefined) {
    if (scheme === "DPoP") return yield* refused("invalid_token", "the access token is not DPoP-bound; use the Bearer scheme", challenge)
  } else {
    if (scheme !== "DPoP") return yield* refused("invalid_token", "the access token is DPoP-bound; present it with the DPoP scheme and a proof", challenge)
    if (input.dpop === undefined) return yield* refused("invalid_token", "a DPoP proof is required with a DPoP-bound access token", challenge)
    // A resource server demands no nonce of its own (nonceRequired false); a proof that carries one must carry a current one.
    const outcome = yield* checkDpopProof({ proof: input.dpop.proof, htm: input.dpop.method, htu: input.dpop.url, accessToken: input.token, nonceRequired: false })
    if (!outcome.valid) return yield* refused(outcome.error, outcome.description, challenge, { nonce: outcome.nonce })
    if (outcome.jkt !== bound) return yield* refused("invalid_dpop_proof", "the DPoP proof key is not the key the access token is bound to", challenge)
  }
  const scopes = scopesOf(payload.scope)
  const required = input.requiredScopes ?? []
  if (!required.every((s) => scopes.includes(s))) {
    return yield* refused("insufficient_scope", "the access token lacks a scope this resource requires", challenge, { scope: required.join(" ") })
  }
  return {
    sub: payload.sub, clientId: payload.client_id, scope: payload.scope, scopes, jti: payload.jti, iss: payload.iss,
    aud: audienceList(payload.aud), exp: payload.exp, iat: payload.iat, sid: payload.sid ?? null,
    tokenType: bound === undefined ? "Bearer" : "DPoP",
    ...(bound === undefined ? {} : { jkt: bound }),
    // Every user grant sets auth_time (verify_access_token.ts): without it no end user is behind the token.
    clientOnly: payload.auth_time === undefined
  }
})
