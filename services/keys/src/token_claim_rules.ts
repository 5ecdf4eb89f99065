/**
 * What the keys service signs (issue 13 §2: no arbitrary-payload signing):
 * per token kind, the JOSE `typ` it sets and the claim set it accepts. A
 * refusal is `SigningRefused` naming the kind and the rule broken. Documented
 * in services/keys/README.md ("Signing rules").
 *
 * Every kind: `iss` is this deployment's issuer (token_issuer.ts), `aud` a
 * non-empty string or array of them, `iat` and `exp` numbers with `exp > iat`
 * and `exp - iat` at most the kind's maximum lifetime, and no `at_hash` (the
 * keys service computes it, `atHashOf`). The one exception: a
 * `token_introspection` response carries NO `exp` (nor `sub`), RFC 9701 §5, so
 * that it never passes for an access token.
 */
import { BACKCHANNEL_LOGOUT_EVENT, SigningRefused, type TokenKind } from "@authrim/contracts"
import { issRefusal, type IssuerRule } from "./token_issuer.ts"

/** The JOSE `typ` of each kind; the caller has no say in the header. */
export const typOfKind: Readonly<Record<TokenKind, string>> = {
  // OIDC Core §2 (the conventional `JWT`).
  id_token: "JWT",
  // RFC 9068 §2.1.
  access_token: "at+jwt",
  // OIDC Back-Channel Logout 1.0 §2.4 (explicit typing, RFC 8725 §3.11).
  logout_token: "logout+jwt",
  // JARM §2 defines no explicit type; the conventional `JWT`, as clients (openid-client) expect.
  authorization_response: "JWT",
  // RFC 9701 §5.
  token_introspection: "token-introspection+jwt"
}

/**
 * Maximum `exp - iat` of each kind, in seconds: a ceiling above anything the
 * tokens service issues (access tokens: ≤ 1 h, ID tokens: ≤ 24 h by the
 * settings' bounds, contracts/src/settings.ts; logout tokens: 2 min; JARM
 * responses: 10 min), so a caller cannot mint a long-lived credential with our
 * keys. `token_introspection` has no `exp` at all, so no lifetime.
 */
export const maxLifetimeSeconds: Readonly<Record<Exclude<TokenKind, "token_introspection">, number>> = {
  id_token: 24 * 3_600,
  access_token: 24 * 3_600,
  logout_token: 10 * 60,
  authorization_response: 10 * 60
}

/** Claims each kind must carry as non-empty strings (besides iss, aud, iat, exp). */
const requiredStrings: Readonly<Record<TokenKind, ReadonlyArray<string>>> = {
  id_token: ["sub"],
  access_token: ["sub", "jti", "client_id"],
  logout_token: ["jti"],
  authorization_response: [],
  token_introspection: []
}

type Claims = Readonly<Record<string, unknown>>

const isText = (value: unknown): value is string => typeof value === "string" && value !== ""
const isTime = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)

/** Why `claims` may not be signed as `kind`, or null when they may. */
export const claimsRefusal = (kind: TokenKind, claims: Claims, issuer: IssuerRule): string | null => {
  const iss = issRefusal(claims["iss"], issuer)
  if (iss !== null) return iss
  const aud = claims["aud"]
  if (!(isText(aud) || (Array.isArray(aud) && aud.length > 0 && aud.every(isText)))) return "aud is missing"
  for (const name of requiredStrings[kind]) if (!isText(claims[name])) return `${name} is missing`
  const iat = claims["iat"]
  if (!isTime(iat)) return "iat is missing"
  if ("at_hash" in claims) return "at_hash is computed by the keys service (atHashOf)"
  if ("authrim_user" in claims) {
    // OIDC Core §8.1 (pairwise subjects): the sealed real user, only beside a `sub` an RP keeps (ID and access tokens).
    if (kind !== "id_token" && kind !== "access_token") return "authrim_user is only for ID and access tokens"
    if (!isText(claims["authrim_user"])) return "authrim_user is not a string"
  }
  if (kind === "token_introspection") return introspectionRefusal(claims)
  const exp = claims["exp"]
  if (!isTime(exp)) return "exp is missing"
  if (exp <= iat) return "exp is not after iat"
  if (exp - iat > maxLifetimeSeconds[kind]) return `lifetime exceeds ${maxLifetimeSeconds[kind]} s`
  if (kind === "logout_token") return logoutRefusal(claims)
  if (kind === "authorization_response") return authorizationResponseRefusal(claims)
  // An ID or access token never looks like a logout token (Back-Channel Logout 1.0 §2.4, §2.6).
  if ("events" in claims) return `events is only for logout tokens`
  if ("act" in claims) return kind === "access_token" ? actRefusal(claims["act"]) : "act is only for access tokens"
  return null
}

/** Deepest chain of delegation an `act` claim may name (a bound on what a caller can make us sign). */
const MAX_ACT_DEPTH = 8

/**
 * RFC 8693 §4.1: `act` (an exchanged access token's actor) is a JSON object with a string `sub`; a
 * nested `act` (the prior actors, most recent outermost) has the same shape.
 */
const actRefusal = (act: unknown, depth = 1): string | null => {
  if (depth > MAX_ACT_DEPTH) return `act nests deeper than ${MAX_ACT_DEPTH}`
  if (!isObject(act) || !isText(act["sub"])) return "act is not an object with a string sub"
  return "act" in act ? actRefusal(act["act"], depth + 1) : null
}

/** Back-Channel Logout 1.0 §2.4: the logout event, `sub` and/or `sid`, never a `nonce`. */
const logoutRefusal = (claims: Claims): string | null => {
  const events = claims["events"]
  if (!isObject(events) || !isObject(events[BACKCHANNEL_LOGOUT_EVENT])) return "events lacks the back-channel logout event"
  if (!isText(claims["sub"]) && !isText(claims["sid"])) return "sub or sid is missing"
  if ("sub" in claims && typeof claims["sub"] !== "string") return "sub is not a string"
  if ("sid" in claims && typeof claims["sid"] !== "string") return "sid is not a string"
  if ("nonce" in claims) return "a logout token must not carry nonce"
  return null
}

/** Claims of a token a JARM response must not carry: it must never pass for an ID, access or logout token. */
const NOT_IN_AUTHORIZATION_RESPONSE = ["sub", "nonce", "events", "jti", "client_id", "scope", "token_introspection"]

/**
 * JARM §2.1: the authorization response parameters — `code` or `error` (with
 * `error_description`), `state` — every one a string, as they would be in a query.
 */
const authorizationResponseRefusal = (claims: Claims): string | null => {
  const hasCode = "code" in claims
  const hasError = "error" in claims
  if (hasCode === hasError) return "exactly one of code and error is required"
  for (const name of NOT_IN_AUTHORIZATION_RESPONSE) if (name in claims) return `${name} is not an authorization response parameter`
  for (const [name, value] of Object.entries(claims)) {
    if (name === "aud" || name === "iat" || name === "exp") continue
    if (!isText(value)) return `${name} is not a non-empty string`
  }
  return null
}

/** RFC 9701 §5: `token_introspection` is the RFC 7662 response (a JSON object with boolean `active`); no `exp`, no `sub`. */
const introspectionRefusal = (claims: Claims): string | null => {
  const body = claims["token_introspection"]
  if (!isObject(body) || typeof body["active"] !== "boolean") return "token_introspection lacks a boolean active"
  if ("exp" in claims) return "an introspection response must not carry exp (RFC 9701 §5)"
  if ("sub" in claims) return "an introspection response must not carry sub (RFC 9701 §5)"
  if ("events" in claims) return "events is only for logout tokens"
  return null
}

/** `claimsRefusal` as the typed error, or null. */
export const refusalOf = (kind: TokenKind, claims: Claims, issuer: IssuerRule): SigningRefused | null => {
  const reason = claimsRefusal(kind, claims, issuer)
  return reason === null ? null : new SigningRefused({ kind, reason })
}
