/**
 * The upstream account as Authrim uses it: subject, email, whether the
 * upstream verified that email, and a display name. From the ID token, topped
 * up from userinfo when the ID token carries no email (OIDC Core §5.3.2: the
 * userinfo `sub` must then equal the ID token's); for `oauth2` providers from
 * userinfo alone, through the configured field mapping. An email counts as
 * verified only when the upstream says so with a boolean `true` (or the
 * string "true"): anything missing or ambiguous is unverified.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import type { IdentityProviderRecord } from "./identity_provider_record.ts"
import { fetchUpstreamJson } from "./upstream_http.ts"

/** An upstream account. */
export interface UpstreamAccount {
  readonly subject: string
  readonly email: string | null
  readonly emailVerified: boolean
  readonly name: string | null
}

const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : null)
const verified = (v: unknown) => v === true || v === "true"

/** Reads the claims of a (userinfo or ID token) object through the provider's field mapping. */
export const accountFromClaims = (provider: IdentityProviderRecord, claims: Record<string, unknown>): UpstreamAccount | null => {
  const map = provider.config.claims
  const subject = text(claims[map?.sub ?? "sub"])
  if (subject === null) return null
  return {
    subject,
    email: text(claims[map?.email ?? "email"]),
    emailVerified: verified(claims[map?.email_verified ?? "email_verified"]),
    name: text(claims[map?.name ?? "name"])
  }
}

/** GET userinfo with the upstream access token. */
export const fetchUserinfo = (userinfoEndpoint: string, accessToken: string) =>
  fetchUpstreamJson("userinfo endpoint", userinfoEndpoint, { headers: { authorization: `Bearer ${accessToken}` } })

const noSubject = () => new OAuthError({ code: "access_denied", description: "the identity provider did not say who signed in" })

/** The account of an oauth2 provider: userinfo through the mapping. */
export const oauth2Account = Effect.fnUntraced(function*(provider: IdentityProviderRecord, userinfoEndpoint: string | null, accessToken: string | null) {
  if (userinfoEndpoint === null || accessToken === null) return yield* noSubject()
  const account = accountFromClaims(provider, yield* fetchUserinfo(userinfoEndpoint, accessToken))
  return account ?? (yield* noSubject())
})

/** The account of an oidc provider: verified ID token claims, email from userinfo if the token has none. */
export const oidcAccount = Effect.fnUntraced(function*(
  provider: IdentityProviderRecord,
  idTokenClaims: Record<string, unknown> & { sub: string },
  userinfoEndpoint: string | null,
  accessToken: string | null
) {
  // The subject of an OpenID provider is always the ID token's `sub`, whatever the mapping says.
  const mapped = accountFromClaims(provider, idTokenClaims)
  const fromToken: UpstreamAccount = { subject: idTokenClaims.sub, email: mapped?.email ?? null, emailVerified: mapped?.emailVerified ?? false, name: mapped?.name ?? null }
  if (fromToken.email !== null || userinfoEndpoint === null || accessToken === null) return fromToken
  const userinfo = yield* fetchUserinfo(userinfoEndpoint, accessToken)
  if (userinfo["sub"] !== idTokenClaims.sub) {
    return yield* new OAuthError({ code: "access_denied", description: "the identity provider's userinfo is for another subject" })
  }
  const fromUserinfo = accountFromClaims(provider, userinfo)
  return {
    subject: fromToken.subject,
    email: fromUserinfo?.email ?? null,
    emailVerified: fromUserinfo?.emailVerified ?? false,
    name: fromToken.name ?? fromUserinfo?.name ?? null
  } satisfies UpstreamAccount
})
