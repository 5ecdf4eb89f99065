/**
 * Tokens service contract (`TokensService` entrypoint of `services/tokens`).
 * Authorization codes, refresh-token families, revocation and token issuance.
 * The edge authenticates the client before calling any of these; `clientId`
 * here is the authenticated client.
 */
import { Schema } from "effect"
import { ActorClaim, type AccessTokenPayload } from "./access_token.ts"
import { DpopProofOutcome, DpopProofRequest } from "./dpop.ts"
import { OAuthError, Unavailable } from "./errors.ts"
import { SigningAlg } from "./keys.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** RFC 6749 §5.1 token response (snake_case, as on the wire). */
export const TokenSet = Schema.Struct({
  access_token: Schema.String,
  token_type: Schema.Literals(["Bearer", "DPoP"]),
  expires_in: Schema.Number,
  scope: Schema.String,
  refresh_token: Schema.optional(Schema.String),
  id_token: Schema.optional(Schema.String)
})
/** Type of {@link TokenSet}. */
export type TokenSet = typeof TokenSet.Type

/** RFC 7662 introspection response. Inactive tokens carry only `active: false`. */
export const Introspection = Schema.Struct({
  active: Schema.Boolean,
  scope: Schema.optional(Schema.String),
  client_id: Schema.optional(Schema.String),
  sub: Schema.optional(Schema.String),
  exp: Schema.optional(Schema.Number),
  iat: Schema.optional(Schema.Number),
  iss: Schema.optional(Schema.String),
  aud: Schema.optional(Schema.Union([Schema.String, Schema.Array(Schema.String)])),
  jti: Schema.optional(Schema.String),
  token_type: Schema.optional(Schema.String),
  /** RFC 9449 §6.2: the DPoP key a sender-constrained access token is bound to. */
  cnf: Schema.optional(Schema.Struct({ jkt: Schema.String })),
  /** RFC 8693 §4.1 (issue 14): the actor chain of a token issued by delegation (token exchange). */
  act: Schema.optional(ActorClaim)
})
/** Type of {@link Introspection}. */
export type Introspection = typeof Introspection.Type

/**
 * RFC 7662 §2.2 members of an active access token, as the edge's /introspect and the tokens service (for clients
 * and for resource servers) answer them: RFC 9449 §6.2 `cnf` and token_type DPoP for a bound token, RFC 8693 §4.1
 * `act` for a delegated one.
 */
export const activeAccessTokenIntrospection = (payload: AccessTokenPayload): Introspection => ({
  active: true, scope: payload.scope, client_id: payload.client_id, sub: payload.sub, exp: payload.exp,
  iat: payload.iat, iss: payload.iss, aud: payload.aud, jti: payload.jti,
  ...(payload.act === undefined ? {} : { act: payload.act }),
  ...(payload.cnf === undefined ? { token_type: "Bearer" } : { token_type: "DPoP", cnf: { jkt: payload.cnf.jkt } })
})

/** A verified, unrevoked access token (for `/userinfo`). */
export const AccessTokenClaims = Schema.Struct({
  sub: Schema.String,
  clientId: Schema.String,
  scope: Schema.String,
  jti: Schema.String,
  exp: Schema.Number,
  sid: Schema.NullOr(Schema.String),
  /** RFC 9449: `cnf.jkt` of a DPoP-bound token; the resource must then demand a proof with that key. */
  jkt: Schema.optional(Schema.String),
  /**
   * True when no end user is behind the token (client_credentials: `sub` is the
   * client_id). User-facing resources such as `/userinfo` must refuse it. Absent = a user's token.
   */
  clientOnly: Schema.optional(Schema.Boolean),
  /** OIDC Core §8.1: the real user behind a pairwise `sub` (opened from `authrim_user`). Absent: `sub` is the user id. */
  userId: Schema.optional(Schema.String)
})
/** Type of {@link AccessTokenClaims}. */
export type AccessTokenClaims = typeof AccessTokenClaims.Type

/** Answer of `checkAccessTokenUse`: revocation, and the DPoP proof outcome when one was asked for. */
export const AccessTokenUse = Schema.Struct({
  revoked: Schema.Boolean,
  dpop: Schema.optional(DpopProofOutcome)
})
/** Type of {@link AccessTokenUse}. */
export type AccessTokenUse = typeof AccessTokenUse.Type

/**
 * What an OIDC Core §5.5 `claims` request adds to the tokens (issue 14), resolved by the edge:
 * `idToken` — user claims (name → value, read by the edge from identity when the code was made) the
 * ID token carries besides its own; `userinfo` — claim names `/userinfo` releases besides those of the
 * scope (the access token carries them as `authrim_userinfo_claims`). Kept with the refresh family.
 */
export const RequestedClaims = Schema.Struct({
  idToken: Schema.optional(Schema.Record(Schema.String, Schema.Unknown)),
  userinfo: Schema.optional(Schema.Array(Schema.String))
})
/** Type of {@link RequestedClaims}. */
export type RequestedClaims = typeof RequestedClaims.Type

/** What the edge hands over when the user has authorised a request. */
export const CodeGrantInput = Schema.Struct({
  clientId: Schema.String,
  redirectUri: Schema.String,
  userId: Schema.String,
  scope: Schema.String,
  /** PKCE S256 challenge (RFC 7636); null only for confidential clients that sent none. */
  codeChallenge: Schema.NullOr(Schema.String),
  nonce: Schema.NullOr(Schema.String),
  /** Epoch ms of the authentication the session records. */
  authTime: Schema.Number,
  acr: Schema.NullOr(Schema.String),
  amr: Schema.Array(Schema.String),
  /** Session id, echoed as `sid` in the ID token. */
  sid: Schema.NullOr(Schema.String),
  /**
   * When the session `sid` expires (epoch ms). An online refresh family (see
   * `onlineRefreshTokens`) ends then; an offline one stops naming the session in
   * refreshed ID tokens. Absent (older edge): no online family, `sid` kept.
   */
  sessionExpiresAt: Schema.optional(Schema.Number),
  /** Issue 14: the `claims` request parameter, resolved (see {@link RequestedClaims}). Absent: none. */
  requestedClaims: Schema.optional(RequestedClaims),
  /**
   * Issue 14: RFC 8707 resources granted (each checked by the edge against the client's list), sealed into
   * the code and kept with the refresh family; the access token's `aud`. Absent or empty: none (`aud` is
   * the issuer's userinfo resource).
   */
  resources: Schema.optional(Schema.Array(Schema.String))
})
/** Type of {@link CodeGrantInput}. */
export type CodeGrantInput = typeof CodeGrantInput.Type

const TokensFailure = Schema.Union([OAuthError, Unavailable])

/** Per-request issuing options the edge derives from client metadata. */
const IssueOptions = {
  /** The provider's issuer URL (`iss`). */
  issuer: Schema.String,
  /**
   * Whether the client may hold refresh tokens (its grant_types include refresh_token).
   * A refresh token is then issued only when `offline_access` was granted (OIDC Core §11),
   * or, for `onlineRefreshTokens` clients, as an online family bound to the session.
   */
  issueRefreshToken: Schema.Boolean,
  /**
   * The client gets online refresh tokens without `offline_access`: the family is
   * bound to the session `sid` and ends with it (logout, expiry). Absent: offline only.
   */
  onlineRefreshTokens: Schema.optional(Schema.Boolean),
  /** `id_token_signed_response_alg` of the client. */
  idTokenAlg: SigningAlg,
  /** RFC 9449: thumbprint of the request's verified DPoP proof key; binds the access token (`cnf.jkt`, `token_type: DPoP`). */
  dpopJkt: Schema.optional(Schema.String),
  /**
   * RFC 9449 §5: bind a NEW refresh family to `dpopJkt` (the edge sets it for public
   * clients). Refreshing a bound family needs a proof with the same key.
   */
  bindRefreshToDpop: Schema.optional(Schema.Boolean),
  /**
   * OIDC Core §8.1: the client's sector when its subject type is pairwise
   * (contracts/src/pairwise_sector.ts). Tokens then carry the pairwise `sub`
   * and the sealed real user (`authrim_user`). Absent: the public `sub` (the user id).
   */
  pairwiseSector: Schema.optional(Schema.String)
}

/**
 * Issue 14: the `resource` parameters of a /token request (RFC 8707 §2.2): a subset of the resources
 * granted, to narrow the access token's `aud` to; absent or empty: all of them. One outside the grant is
 * refused before the code is spent or the refresh token rotated (`invalidTargetRefusal`, resource_indicator_rules.ts).
 */
const RequestedResources = Schema.optional(Schema.Array(Schema.String))

/** Method schemas of the tokens service. */
export const TokensContract = {
  /** Stores a 60-second, single-use code (hashed) in the shard named inside it. */
  createAuthorizationCode: rpcMethod(CodeGrantInput, Schema.Struct({ code: Schema.String, expiresAt: Schema.Number }), TokensFailure),
  /**
   * Redeems a code (authorization_code grant). A second redemption fails with
   * `invalid_grant` and revokes every token the first one issued.
   */
  exchangeAuthorizationCode: rpcMethod(
    Schema.Struct({
      ...IssueOptions,
      code: Schema.String,
      clientId: Schema.String,
      redirectUri: Schema.NullOr(Schema.String),
      codeVerifier: Schema.NullOr(Schema.String),
      resources: RequestedResources
    }),
    TokenSet,
    TokensFailure
  ),
  /** Rotates a refresh token (refresh_token grant); reuse of an old one revokes its family. */
  refresh: rpcMethod(
    Schema.Struct({
      ...IssueOptions,
      refreshToken: Schema.String,
      clientId: Schema.String,
      /** Requested scope; must be a subset of the family's. Null keeps it. */
      scope: Schema.NullOr(Schema.String),
      /**
       * Issue 14: false = do not rotate (FAPI 2.0 Security Profile clients): the presented token stays valid and
       * is answered again. Absent or true: rotate on every use.
       */
      rotateRefreshToken: Schema.optional(Schema.Boolean),
      resources: RequestedResources
    }),
    TokenSet,
    TokensFailure
  ),
  /** RFC 7009 revocation of an access or refresh token owned by `clientId`; unknown tokens succeed. */
  revoke: rpcMethod(
    Schema.Struct({ token: Schema.String, tokenTypeHint: Schema.NullOr(Schema.String), clientId: Schema.String }),
    Schema.Struct({}),
    TokensFailure
  ),
  /** RFC 7662 introspection on behalf of an authenticated client. */
  introspect: rpcMethod(
    Schema.Struct({
      issuer: Schema.String, token: Schema.String, tokenTypeHint: Schema.NullOr(Schema.String), clientId: Schema.String,
      /** The asking client's pairwise sector (OIDC Core §8.1): a refresh token's `sub` is then the pairwise one. Absent: public. */
      pairwiseSector: Schema.optional(Schema.String)
    }),
    Introspection,
    TokensFailure
  ),
  /**
   * client_credentials grant (RFC 6749 §4.4): an RS256 access token with `sub` = `client_id`
   * (the client acts on its own behalf) and the given scope, already narrowed by the edge.
   * No ID token, no refresh token (RFC 6749 §4.4.3).
   */
  clientCredentials: rpcMethod(
    Schema.Struct({
      issuer: Schema.String,
      clientId: Schema.String,
      scope: Schema.String,
      /** RFC 9449: thumbprint of the request's verified DPoP proof key; binds the token (`cnf.jkt`, `token_type: DPoP`). */
      dpopJkt: Schema.optional(Schema.String),
      /** Issue 14: RFC 8707 resources (checked by the edge against the client's list): the token's `aud`. Absent: userinfo. */
      resources: Schema.optional(Schema.Array(Schema.String))
    }),
    TokenSet,
    TokensFailure
  ),
  /** Verifies a bearer access token (signature, iss, exp, revocation); `invalid_token` otherwise. */
  verifyAccessToken: rpcMethod(Schema.Struct({ issuer: Schema.String, token: Schema.String }), AccessTokenClaims, TokensFailure),
  /**
   * What only this service can say about an access token the caller has already
   * verified itself (signature with the published JWKS, the RFC 9068 claims, see
   * access_token.ts): whether its `jti` was revoked — one TokenRevocationStore
   * read — and, when `dpop` is given, the outcome of the RFC 9449 §7 proof presented
   * with it, checked (and its jti burnt) in the same call. Added in issue 10; an
   * older tokens worker lacks it, and a caller then falls back to `verifyAccessToken`.
   */
  checkAccessTokenUse: rpcMethod(
    Schema.Struct({
      jti: Schema.String,
      dpop: Schema.optional(DpopProofRequest),
      // Issue 12 (additive): the token's `client_id` and `iat` (seconds) — a token of a client deleted after it was
      // issued is revoked too, answered by the same read (revoke_client_tokens.ts). Absent: the jti alone is checked.
      clientId: Schema.optional(Schema.String),
      issuedAt: Schema.optional(Schema.Number)
    }),
    AccessTokenUse,
    TokensFailure
  ),
  /**
   * Issue 12: the client was deleted — every refresh family of it is revoked
   * (its 8 rotator shards) and every access token it was issued until now is
   * refused by `checkAccessTokenUse` / `verifyAccessToken` / introspection.
   * Idempotent. The edge calls it after the admin API's or RFC 7592's delete.
   */
  revokeClientTokens: rpcMethod(
    Schema.Struct({ clientId: Schema.String }),
    Schema.Struct({ familiesRevoked: Schema.Number }),
    TokensFailure
  )
} as const
export const TokensContractVersion = contractVersion(TokensContract, { name: "tokens", version: 3 })

/** RPC interface of `TokensService`. */
export type TokensRpc = RpcInterface<typeof TokensContract>
