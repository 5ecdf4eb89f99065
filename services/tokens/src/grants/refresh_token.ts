/**
 * The refresh_token grant (RFC 6749 §6) with rotation on every use
 * (OAuth 2.0 Security BCP §4.14.2): the presented token is replaced by a new
 * one atomically; presenting a rotated-out token again is reuse and revokes
 * the whole family, the current token included. Issue 14: within the reuse
 * grace window (refresh_grace.ts) the token the last rotation rotated out
 * replays that rotation instead — the SAME successor (derived from the
 * presented token with an HMAC, so it is reproducible from hashes alone) and a
 * fresh access token — so of N concurrent refreshes with one token all get
 * the same successor. Outside the window, or once the successor was used,
 * reuse still revokes the family.
 */
import { sha256Base64url } from "@authrim/platform"
import { invalidTargetRefusal, OAuthError, RequestedClaims, type TokenSet, type TokensContract, type Unavailable } from "@authrim/contracts"
import { Clock, Effect, Option, Schema } from "effect"
import { issueTokenSet } from "../issue_tokens.ts"
import { denylistAccessTokens } from "../revoke_issued.ts"
import { refreshShardName } from "../shard_routing.ts"
import { configuredLifetimes } from "../token_lifetimes.ts"
import { familyIdOf, newJti, newRefreshToken } from "../token_format.ts"
import { successorToken } from "../refresh_grace.ts"
import { callStore, TokenStores } from "../token_stores.ts"
import { auditRefreshReuse, auditTokenRefreshed } from "../token_audit.ts"
import type { AuditTrail } from "@authrim/audit-trail"

type RefreshInput = typeof TokensContract.refresh.input.Type

/** The requested scope as a list; null (or blank) keeps the family's scope (RFC 6749 §6). */
const requestedScopes = (scope: string | null): ReadonlyArray<string> | null => {
  const scopes = (scope ?? "").split(" ").filter((s) => s.length > 0)
  return scopes.length === 0 ? null : [...new Set(scopes)]
}

const decodeRequestedClaims = Schema.decodeUnknownOption(Schema.fromJsonString(RequestedClaims))

/** The family's stored claims request as grant facts (none when absent or unreadable). */
const requestedClaimsOf = (json: string | null): { readonly requestedClaims?: RequestedClaims } => {
  const decoded = json === null ? Option.none() : decodeRequestedClaims(json)
  return Option.isSome(decoded) ? { requestedClaims: decoded.value } : {}
}

/** Rotates the refresh token and issues a new access token (and ID token for openid scope). */
export const refreshTokens = Effect.fnUntraced(function*(input: RefreshInput): Effect.fn.Return<TokenSet, OAuthError | Unavailable, TokenStores | AuditTrail> {
  if (!input.issueRefreshToken) {
    return yield* new OAuthError({ code: "unauthorized_client", description: "client may not use the refresh_token grant" })
  }
  const familyId = familyIdOf(input.refreshToken)
  if (familyId === null) return yield* new OAuthError({ code: "invalid_grant", description: "unknown refresh token" })
  const stores = yield* TokenStores
  const now = yield* Clock.currentTimeMillis
  const presentedHash = yield* sha256Base64url(input.refreshToken)
  // FAPI 2.0 Security Profile §5.3.2.1: its clients' refresh tokens are not rotated (the edge says so).
  const keepToken = input.rotateRefreshToken === false
  const graceMs = keepToken ? 0 : stores.refreshGrace.windowMs
  // With the window on, the successor is the one a replay recomputes; off, a random one as before.
  const refreshToken = keepToken
    ? input.refreshToken
    : graceMs > 0 ? yield* successorToken(yield* stores.refreshGrace.successorKey, familyId, input.refreshToken) : newRefreshToken(familyId)
  const newHash = yield* sha256Base64url(refreshToken)
  const access = { jti: newJti(), expiresAt: now + (yield* configuredLifetimes).accessTokenTtlMs }
  const outcome = yield* callStore("refresh.rotate", async () => stores.refreshRotator(refreshShardName(input.clientId, familyId)).rotate({
    familyId, presentedHash, newHash, clientId: input.clientId, requestedScope: requestedScopes(input.scope), now, access,
    dpopJkt: input.dpopJkt, graceMs, keepToken, ...(input.resources === undefined ? {} : { requestedResources: input.resources })
  }))
  if (outcome._tag === "reused") {
    yield* denylistAccessTokens(outcome.revokedAccess, "refresh_token_reuse")
    yield* auditRefreshReuse({ clientId: input.clientId, familyId, accessRevoked: outcome.revokedAccess.length })
    return yield* new OAuthError({ code: "invalid_grant", description: "refresh token reuse detected; the token family is revoked" })
  }
  if (outcome._tag === "rejected") {
    return yield* (outcome.code === "invalid_target" ? invalidTargetRefusal(outcome.reason) : new OAuthError({ code: outcome.code, description: outcome.reason }))
  }
  const family = outcome.family
  const tokens = yield* issueTokenSet({
    facts: {
      issuer: input.issuer, clientId: family.clientId, userId: family.userId, scope: outcome.scope,
      authTime: family.authTime, acr: family.acr, amr: family.amr, sid: family.sid,
      // Issue 14: the claims request of the grant (ID-token claims as resolved at sign-in, userinfo names).
      ...requestedClaimsOf(family.requestedClaimsJson),
      // RFC 8707: the resources of this refresh (all the family's unless narrowed) are the access token's aud.
      ...(outcome.resources.length === 0 ? {} : { resources: outcome.resources })
    },
    // OIDC Core §12.2: a refreshed ID token keeps auth_time; no nonce (there was no new authentication request).
    idTokenAlg: input.idTokenAlg, nonce: null, accessJti: access.jti, accessExpiresAt: access.expiresAt, now, refreshToken,
    dpopJkt: input.dpopJkt, pairwiseSector: input.pairwiseSector
  })
  yield* auditTokenRefreshed({
    clientId: family.clientId, userId: family.userId, familyId, scope: outcome.scope, dpopBound: input.dpopJkt !== undefined
  })
  return tokens
})
