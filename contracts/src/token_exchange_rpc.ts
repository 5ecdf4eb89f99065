/**
 * OAuth 2.0 Token Exchange (RFC 8693) for internal workers (issue 14), implemented by
 * `TokensService` on the `TokensForEdge` entrypoint. The edge authenticates the client,
 * checks it is confidential, holds a token exchange policy allowing delegation, and that
 * every requested `audience` / `resource` is in that policy (else `invalid_target`); the
 * tokens service verifies the subject and actor tokens, narrows the scope and signs.
 *
 * Semantics (documented in services/tokens/README.md, "Token exchange"):
 * - delegation only: an `actor_token` is required; the issued token's `act.sub` is the actor
 *   and, when the subject token itself carried `act`, that one is nested inside (§4.1);
 * - both tokens are Authrim access tokens (`urn:ietf:params:oauth:token-type:access_token`);
 *   the actor token must have been issued to the exchanging client by client_credentials;
 * - an invalid, expired or revoked subject or actor token is `invalid_request` (§2.2.2);
 * - a scope wider than the subject token's is `invalid_scope`;
 * - the issued access token never outlives the subject (nor the actor) token; no refresh token.
 */
import { Schema } from "effect"
import { OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"
import { TokenSet } from "./tokens.ts"

/** RFC 8693 §2.1 grant type. */
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"

/** RFC 8693 §3 token type identifier of an OAuth 2.0 access token: the only type accepted and issued. */
export const ACCESS_TOKEN_TYPE_URN = "urn:ietf:params:oauth:token-type:access_token"

/** Method schemas of token exchange. */
export const TokenExchangeContract = {
  /**
   * Exchanges `subjectToken` (a user's access token) for an access token for `audiences`
   * (the `aud`, already checked against the client's policy), with `act` naming the actor of
   * `actorToken`. `scope` null keeps the subject token's scope.
   */
  exchangeToken: rpcMethod(
    Schema.Struct({
      issuer: Schema.String,
      clientId: Schema.String,
      subjectToken: Schema.String,
      actorToken: Schema.String,
      audiences: Schema.Array(Schema.String),
      scope: Schema.NullOr(Schema.String),
      /** RFC 9449: thumbprint of the request's verified DPoP proof key; binds the issued token. */
      dpopJkt: Schema.optional(Schema.String)
    }),
    TokenSet,
    Schema.Union([OAuthError, Unavailable])
  )
} as const
export const TokenExchangeContractVersion = contractVersion(TokenExchangeContract, { name: "token_exchange", version: 1 })

/** RPC interface of {@link TokenExchangeContract}. */
export type TokenExchangeRpc = RpcInterface<typeof TokenExchangeContract>
