/**
 * The access token as a resource server sees it (RFC 9068): what the tokens
 * service signs and what the edge checks at `/userinfo` and `/introspect`
 * with the published JWKS. In contracts so the issuer's and the verifier's
 * rules are one definition.
 */
import { Schema } from "effect"

/** JWS algorithms an access token may carry (tokens signs RS256; the ES256 key is published too). */
export const ACCESS_TOKEN_ALGS = ["RS256", "ES256"] as const

/** `typ` header of every access token (RFC 9068 §2.1). */
export const ACCESS_TOKEN_TYP = "at+jwt"

/** Claims a verifier insists on besides iss/aud (RFC 9068 §2.2: exp, iat, jti, sub are required). */
export const ACCESS_TOKEN_REQUIRED_CLAIMS = ["exp", "iat", "jti", "sub"] as const

/**
 * `aud` of every access token: the issuer's userinfo resource, the only
 * protected resource this provider serves (a trailing slash of the issuer is dropped).
 */
export const accessTokenAudience = (issuer: string): string => `${issuer.replace(/\/+$/, "")}/userinfo`

/** The claims the tokens service puts in every access token. */
export const AccessTokenPayload = Schema.Struct({
  iss: Schema.String,
  sub: Schema.String,
  aud: Schema.Union([Schema.String, Schema.Array(Schema.String)]),
  exp: Schema.Number,
  iat: Schema.Number,
  jti: Schema.String,
  client_id: Schema.String,
  scope: Schema.String,
  sid: Schema.optional(Schema.String),
  /**
   * Present on every token issued for a user; absent on client_credentials
   * tokens, which have no end user (their `sub` is the client_id).
   */
  auth_time: Schema.optional(Schema.Number),
  /** RFC 9449 §6.1: present on DPoP-bound tokens. */
  cnf: Schema.optional(Schema.Struct({ jkt: Schema.String })),
  /** Issue 14: claim names `/userinfo` releases besides the scope's (the `userinfo` member of an OIDC Core §5.5 `claims` request). */
  authrim_userinfo_claims: Schema.optional(Schema.Array(Schema.String)),
  /** OIDC Core §8.1: a pairwise client's token — the real user id, sealed by the tokens service (only it can open it). */
  authrim_user: Schema.optional(Schema.String)
})
/** Type of {@link AccessTokenPayload}. */
export type AccessTokenPayload = typeof AccessTokenPayload.Type
