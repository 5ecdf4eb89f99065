/**
 * What an admin may store as an upstream identity provider, checked as a
 * whole after a change is merged (so an update cannot leave an oidc provider
 * without an issuer). URLs: absolute https (http only for localhost and
 * loopback addresses, local development), no credentials, query or fragment —
 * Authrim sends the user's browser and its client secret there.
 */
import { UserAdminInvalidInput, type NewIdentityProvider } from "@authrim/contracts"
import type { StoredProviderConfig } from "./identity_provider_record.ts"

const controlCharacters = /[\u0000-\u001f\u007f]/u
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/u
const claimField = /^[A-Za-z0-9_.-]{1,64}$/u
const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"])

const invalid = (field: string, reason: string) => new UserAdminInvalidInput({ field, reason })

const textProblem = (field: string, value: string, max: number) =>
  value.trim().length === 0 || [...value].length > max || controlCharacters.test(value)
    ? invalid(field, `must be 1–${max} characters without control characters`)
    : null

/** Why `value` is not an acceptable upstream URL, or null. */
export const upstreamUrlProblem = (field: string, value: string) => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return invalid(field, "must be an absolute https URL")
  }
  if (value.length > 2_048) return invalid(field, "must be at most 2048 characters")
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopbackHosts.has(url.hostname))) return invalid(field, "must be an https URL")
  if (url.username !== "" || url.password !== "") return invalid(field, "must not carry credentials")
  if (url.search !== "" || url.hash !== "") return invalid(field, "must not have a query or fragment")
  return null
}

/** Checks a complete provider; answers the first problem (naming the field) or the config to store. */
export const checkedProviderConfig = (provider: NewIdentityProvider): UserAdminInvalidInput | StoredProviderConfig => {
  const text = textProblem("name", provider.name, 100) ?? textProblem("clientId", provider.clientId, 256)
    ?? (provider.clientSecret === undefined ? null : textProblem("clientSecret", provider.clientSecret, 512))
  if (text !== null) return text
  const urls = [["issuer", provider.issuer], ["authorizationEndpoint", provider.authorizationEndpoint], ["tokenEndpoint", provider.tokenEndpoint], ["userinfoEndpoint", provider.userinfoEndpoint]] as const
  for (const [field, value] of urls) {
    const problem = value === undefined ? null : upstreamUrlProblem(field, value)
    if (problem !== null) return problem
  }
  if (provider.providerType === "oidc") {
    if (provider.issuer === undefined) return invalid("issuer", "an oidc provider needs its issuer (discovery)")
    for (const [field, value] of urls.slice(1)) if (value !== undefined) return invalid(field, "an oidc provider takes its endpoints from discovery")
  } else {
    for (const [field, value] of urls.slice(1)) if (value === undefined) return invalid(field, "an oauth2 provider needs it")
  }
  if (provider.scopes !== undefined) {
    if (provider.scopes.length > 20) return invalid("scopes", "at most 20 scopes")
    const bad = provider.scopes.findIndex((s) => !scopeToken.test(s))
    if (bad >= 0) return invalid(`scopes.${bad}`, "must be an RFC 6749 scope token")
    if (provider.providerType === "oidc" && !provider.scopes.includes("openid")) return invalid("scopes", "an oidc provider's scopes must include openid")
  }
  for (const [member, value] of Object.entries(provider.claims ?? {})) {
    if (value !== undefined && !claimField.test(value)) return invalid(`claims.${member}`, "must be a userinfo member name (1–64 of letters, digits, _ . -)")
  }
  return {
    issuer: provider.issuer?.replace(/\/+$/u, ""),
    client_id: provider.clientId,
    client_secret: provider.clientSecret ?? null,
    scopes: provider.scopes,
    token_endpoint_auth_method: provider.tokenEndpointAuthMethod,
    authorization_endpoint: provider.authorizationEndpoint,
    token_endpoint: provider.tokenEndpoint,
    userinfo_endpoint: provider.userinfoEndpoint,
    claims: provider.claims === undefined ? undefined : {
      sub: provider.claims.sub, email: provider.claims.email, email_verified: provider.claims.emailVerified, name: provider.claims.name
    }
  }
}
