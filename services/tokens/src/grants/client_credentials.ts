/**
 * The client_credentials grant (RFC 6749 §4.4): the client acts on its own
 * behalf, so the access token's `sub` is its `client_id` (RFC 9068 §2.2: "In
 * cases of access tokens obtained through grants where no resource owner is
 * involved, such as the client credentials grant, the value of sub SHOULD
 * correspond to an identifier the authorization server uses to indicate the
 * client application"). There is no authentication event, so no `auth_time`,
 * `acr`, `amr` or `sid`; no ID token and no refresh token (§4.4.3). The edge
 * has authenticated the client and narrowed the scope before calling.
 * The missing `auth_time` is what marks the token as having no end user
 * (see verify_access_token.ts). With a DPoP proof key the token is bound to
 * it (`cnf.jkt`, `token_type: DPoP`, RFC 9449 §5) like every other grant's.
 */
import { accessTokenAudienceFor, type OAuthError, type TokenSet, type TokensContract, type Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { accessTokenAlg } from "../issue_tokens.ts"
import { signJwt } from "../sign_jwt.ts"
import { configuredLifetimes } from "../token_lifetimes.ts"
import { newJti } from "../token_format.ts"
import type { TokenStores } from "../token_stores.ts"
import { auditTokenIssued } from "../token_audit.ts"
import type { AuditTrail } from "@authrim/audit-trail"

type ClientCredentialsInput = typeof TokensContract.clientCredentials.input.Type

const seconds = (ms: number): number => Math.floor(ms / 1000)

/** Signs the client's access token and shapes the RFC 6749 §5.1 response. */
export const clientCredentials = Effect.fnUntraced(function*(input: ClientCredentialsInput): Effect.fn.Return<TokenSet, OAuthError | Unavailable, TokenStores | AuditTrail> {
  const now = yield* Clock.currentTimeMillis
  const expiresAt = now + (yield* configuredLifetimes).accessTokenTtlMs
  const accessToken = yield* signJwt("access_token", accessTokenAlg, {
    iss: input.issuer,
    sub: input.clientId,
    // RFC 8707 (issue 14): the resources the edge checked against the client's list, else the userinfo resource.
    aud: accessTokenAudienceFor(input.issuer, input.resources),
    exp: seconds(expiresAt),
    iat: seconds(now),
    jti: newJti(),
    client_id: input.clientId,
    scope: input.scope,
    ...(input.dpopJkt === undefined ? {} : { cnf: { jkt: input.dpopJkt } })
  })
  const tokenType = input.dpopJkt === undefined ? "Bearer" as const : "DPoP" as const
  yield* auditTokenIssued({
    grant: "client_credentials", clientId: input.clientId, userId: null, scope: input.scope,
    dpopBound: input.dpopJkt !== undefined, refreshIssued: false
  })
  return { access_token: accessToken, token_type: tokenType, expires_in: seconds(expiresAt - now), scope: input.scope }
})
