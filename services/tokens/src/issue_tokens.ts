/**
 * Building the access token (RFC 9068) and the ID token (OIDC Core §2) and
 * the RFC 6749 §5.1 response around them.
 *
 * `aud` of access tokens is the issuer's userinfo resource (`<issuer>/userinfo`),
 * which /userinfo insists on, or the RFC 8707 resources of the grant (issue 14).
 * Access tokens are always RS256 (what every resource server supports); ID
 * tokens use the client's `id_token_signed_response_alg`.
 */
import { accessTokenAudienceFor, type OAuthError, type RequestedClaims, type SigningAlg, type TokenSet, type Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import { signJwt, signJwts, type ClaimSet, type JwtToSign } from "./sign_jwt.ts"
import { configuredLifetimes, idTokenTtlMs } from "./token_lifetimes.ts"
import { TokenStores } from "./token_stores.ts"
import { subjectClaims, type TokenSubject } from "./pairwise/pairwise_subject.ts"

/** The protected resource access tokens are for. */
export const accessTokenAudience = (issuer: string): string => `${issuer.replace(/\/+$/, "")}/userinfo`

/** Alg of every access token. */
export const accessTokenAlg: SigningAlg = "RS256"

/** Who authenticated, how, and what they granted — shared by code and refresh issuance. */
export interface GrantFacts {
  readonly issuer: string
  readonly clientId: string
  readonly userId: string
  readonly scope: string
  /** Epoch ms. */
  readonly authTime: number
  readonly acr: string | null
  readonly amr: ReadonlyArray<string>
  readonly sid: string | null
  /** Issue 14: the resolved OIDC Core §5.5 `claims` request of the grant; absent: none. */
  readonly requestedClaims?: RequestedClaims | undefined
  /** Issue 14: the RFC 8707 resources this access token is for (its `aud`); absent or empty: the userinfo resource. */
  readonly resources?: ReadonlyArray<string> | undefined
}

const seconds = (ms: number): number => Math.floor(ms / 1000)

/** acr/amr/sid only when known (RFC 9068 §2.2.1, OIDC Core §2). */
const authenticationClaims = (facts: GrantFacts): ClaimSet => ({
  auth_time: seconds(facts.authTime),
  ...(facts.acr === null ? {} : { acr: facts.acr }),
  ...(facts.amr.length === 0 ? {} : { amr: facts.amr }),
  ...(facts.sid === null ? {} : { sid: facts.sid })
})

/** True when the scope asks for OpenID Connect (then an ID token is issued). */
export const hasOpenIdScope = (scope: string): boolean => scope.split(" ").includes("openid")

/**
 * RFC 9068 access token claims with the given jti and expiry (both fixed before issuance, see the code store).
 * With `dpopJkt` it is sender-constrained: `cnf.jkt` (RFC 9449 §6.1).
 * `subject`: a pairwise client's `sub` and sealed `authrim_user` (pairwise/pairwise_subject.ts); default the user id.
 */
export const accessTokenClaims = (
  facts: GrantFacts, jti: string, now: number, expiresAt: number, dpopJkt?: string, subject: TokenSubject = { sub: facts.userId }
): ClaimSet => ({
  iss: facts.issuer,
  ...subject,
  // RFC 8707 (issue 14): the resource(s) of the grant, else the userinfo resource.
  aud: accessTokenAudienceFor(facts.issuer, facts.resources),
  exp: seconds(expiresAt),
  iat: seconds(now),
  jti,
  client_id: facts.clientId,
  scope: facts.scope,
  ...authenticationClaims(facts),
  ...(dpopJkt === undefined ? {} : { cnf: { jkt: dpopJkt } }),
  // The `userinfo` member of a claims request: what /userinfo releases besides the scope's claims.
  ...(userinfoClaimsOf(facts).length === 0 ? {} : { authrim_userinfo_claims: userinfoClaimsOf(facts) })
})

const userinfoClaimsOf = (facts: GrantFacts): ReadonlyArray<string> => facts.requestedClaims?.userinfo ?? []

/** A signed RFC 9068 access token (alone: client_credentials, tests). */
export const signAccessToken = (facts: GrantFacts, jti: string, now: number, expiresAt: number, dpopJkt?: string) =>
  signJwt("access_token", accessTokenAlg, accessTokenClaims(facts, jti, now, expiresAt, dpopJkt))

/** ID token claims for the client; `at_hash` binding it to the access token is added when both are signed (`signJwts`). */
export const idTokenClaims = (
  facts: GrantFacts, nonce: string | null, now: number, ttlMs: number = idTokenTtlMs, subject: TokenSubject = { sub: facts.userId }
): ClaimSet => ({
  // The `id_token` member of a claims request (user claims the edge resolved); the protocol claims below win any clash.
  ...facts.requestedClaims?.idToken,
  iss: facts.issuer,
  ...subject,
  aud: facts.clientId,
  azp: facts.clientId,
  exp: seconds(now + ttlMs),
  iat: seconds(now),
  ...(nonce === null ? {} : { nonce }),
  ...authenticationClaims(facts)
})

/** Signs the access token and, for openid scope, the ID token (one keys call), and shapes the RFC 6749 §5.1 response. */
export const issueTokenSet = Effect.fnUntraced(function*(input: {
  readonly facts: GrantFacts
  readonly idTokenAlg: SigningAlg
  readonly nonce: string | null
  readonly accessJti: string
  readonly accessExpiresAt: number
  readonly now: number
  readonly refreshToken: string | null
  /** RFC 9449: the verified proof key of the request; binds the access token and makes it `token_type: DPoP`. */
  readonly dpopJkt?: string | undefined
  /** OIDC Core §8.1: the client's sector when its subject type is pairwise (the edge's `pairwiseSector`); absent: public `sub`. */
  readonly pairwiseSector?: string | undefined
}): Effect.fn.Return<TokenSet, OAuthError | Unavailable, TokenStores> {
  const subject = yield* subjectClaims((yield* TokenStores).pairwise, input.facts.userId, input.pairwiseSector)
  const access: JwtToSign = {
    kind: "access_token", alg: accessTokenAlg,
    claims: accessTokenClaims(input.facts, input.accessJti, input.now, input.accessExpiresAt, input.dpopJkt, subject)
  }
  const [accessToken, idToken] = yield* signJwts(hasOpenIdScope(input.facts.scope)
    ? [access, { kind: "id_token", alg: input.idTokenAlg, claims: idTokenClaims(input.facts, input.nonce, input.now, (yield* configuredLifetimes).idTokenTtlMs, subject), atHashOf: 0 }]
    : [access])
  return {
    access_token: accessToken!,
    token_type: input.dpopJkt === undefined ? "Bearer" as const : "DPoP" as const,
    expires_in: seconds(input.accessExpiresAt - input.now),
    scope: input.facts.scope,
    ...(input.refreshToken === null ? {} : { refresh_token: input.refreshToken }),
    ...(idToken === undefined ? {} : { id_token: idToken })
  }
})
