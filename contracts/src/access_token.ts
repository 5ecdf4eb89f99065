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
 * `aud` of an access token issued without RFC 8707 resources: the issuer's userinfo
 * resource, the protected resource this provider serves (a trailing slash of the issuer is dropped).
 */
export const accessTokenAudience = (issuer: string): string => `${issuer.replace(/\/+$/, "")}/userinfo`

/** RFC 8693 §4.1 `act`: the acting party, and who acted before it (nested), as a delegated token names them. */
export interface ActorClaim {
  readonly sub: string
  readonly act?: ActorClaim
}
/** Schema of {@link ActorClaim}. */
export const ActorClaim = Schema.Struct({
  sub: Schema.String,
  act: Schema.optional(Schema.suspend((): Schema.Codec<ActorClaim> => ActorClaim))
})
/**
 * `aud` of an access token issued for RFC 8707 `resources` (issue 14): the resource when one, the
 * list when several, else the issuer's userinfo resource ({@link accessTokenAudience}). A token for
 * resources only is refused at `/userinfo` (its `aud` lacks the userinfo resource).
 */
export const accessTokenAudienceFor = (issuer: string, resources: ReadonlyArray<string> | undefined): string | ReadonlyArray<string> =>
  resources === undefined || resources.length === 0 ? accessTokenAudience(issuer) : resources.length === 1 ? resources[0]! : [...resources]

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
  /** Issue 14: RFC 8693 §4.1 — on a token exchanged by delegation, the actor chain. */
  act: Schema.optional(ActorClaim),
  /** OIDC Core §8.1: a pairwise client's token — the real user id, sealed by the tokens service (only it can open it). */
  authrim_user: Schema.optional(Schema.String)
})
/** Type of {@link AccessTokenPayload}. */
export type AccessTokenPayload = typeof AccessTokenPayload.Type
