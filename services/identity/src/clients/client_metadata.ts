/**
 * Validation and defaults for client registration input (seed file, admin;
 * error codes per RFC 7591 §3.2.2). Every default is documented here.
 */
import { MIN_CLIENT_SECRET_LENGTH, OAuthError, type ClientAuthMethod, type ClientInput, type ClientJwks, type FapiProfile, type SigningAlg, type SubjectType, type TokenExchangePolicy } from "@authrim/contracts"
import { Effect } from "effect"
import { clientKeyMetadata } from "./client_key_metadata.ts"
import { generateClientSecret } from "./client_secret.ts"
import { tokenExchangePolicyProblem } from "./token_exchange_policy.ts"
import { clientResourcesProblem } from "./client_resources.ts"
import { subjectTypeProblem } from "./subject_type_policy.ts"
import { webUriProblem } from "./redirect_uri_policy.ts"

/** Code flow with refresh: what a typical OIDC RP needs. */
export const DEFAULT_GRANT_TYPES = ["authorization_code", "refresh_token"]
/** Code flow only (DESIGN §3). */
export const DEFAULT_RESPONSE_TYPES = ["code"]
/** The standard OIDC scopes plus offline_access (refresh tokens). */
export const DEFAULT_SCOPE = "openid profile email offline_access"
/** RS256 is the OIDC default algorithm (OIDC Core §15.1). */
export const DEFAULT_ID_TOKEN_ALG: SigningAlg = "RS256"

const knownGrantTypes = new Set([
  "authorization_code",
  "refresh_token",
  "client_credentials",
  "urn:ietf:params:oauth:grant-type:device_code",
  "urn:ietf:params:oauth:grant-type:token-exchange"
])
const knownResponseTypes = new Set(["code"])

/** Normalised client metadata, ready for `oauth_clients`. */
export interface ClientMetadata {
  readonly clientId: string
  readonly clientName: string
  readonly clientSecret: string | null
  /** True when `clientSecret` was generated here (the caller sent none): it is answered once. */
  readonly clientSecretGenerated: boolean
  readonly redirectUris: ReadonlyArray<string>
  readonly postLogoutRedirectUris: ReadonlyArray<string>
  readonly grantTypes: ReadonlyArray<string>
  readonly responseTypes: ReadonlyArray<string>
  readonly tokenEndpointAuthMethod: ClientAuthMethod
  readonly scope: string
  readonly idTokenSignedResponseAlg: SigningAlg
  readonly skipConsent: boolean
  readonly backchannelLogoutUri: string | null
  readonly backchannelLogoutSessionRequired: boolean
  /** Front-Channel Logout 1.0 §2 (migration 0021): https, http only for localhost / 127.0.0.1. */
  readonly frontchannelLogoutUri: string | null
  readonly frontchannelLogoutSessionRequired: boolean
  /** JAR §5.2 `request_uris` (migration 0022): https, http only on a loopback host. */
  readonly requestUris: ReadonlyArray<string>
  /** FAPI 2.0 Security Profile (migration 0023); only with private_key_jwt. */
  readonly fapiProfile: FapiProfile | null
  /** RFC 8693 token exchange policy (migration 0026); confidential clients only. Null: no token exchange. */
  readonly tokenExchangePolicy: TokenExchangePolicy | null
  /** RFC 8707 resources the client may name (migration 0025); empty: none. */
  readonly resources: ReadonlyArray<string>
  /** OIDC Core §8 subject type (migration 0024); default public. */
  readonly subjectType: SubjectType
  /** OIDC Registration §2 `sector_identifier_uri` (migration 0024); null: the sector is the redirect_uris' one host. */
  readonly sectorIdentifierUri: string | null
  /** private_key_jwt keys: by value or by URL (see client_key_metadata.ts). */
  readonly jwks: ClientJwks | null
  readonly jwksUri: string | null
  /** RFC 9126 §6 `require_pushed_authorization_requests` (default false). */
  readonly requirePushedAuthorizationRequests: boolean
  /**
   * Issue 9 §2 `online_refresh_tokens` (default false): refresh tokens without `offline_access`,
   * bound to the session. Off by default: OIDC Core §11 ties refresh tokens to offline_access.
   */
  readonly onlineRefreshTokens: boolean
}

const metadataError = (description: string) => new OAuthError({ code: "invalid_client_metadata", description })

/** Absolute URL, no fragment (RFC 6749 §3.1.2). Matching later is exact string equality. */
const isValidRedirectUri = (uri: string): boolean => {
  if (uri.includes("#")) return false
  try {
    return new URL(uri).protocol.length > 1
  } catch {
    return false
  }
}

/** Back-Channel Logout 1.0 §2.2: an absolute http(s) URL, which MUST NOT include a fragment. */
const isValidBackchannelLogoutUri = (uri: string): boolean => {
  if (uri.includes("#")) return false
  try {
    const protocol = new URL(uri).protocol
    return protocol === "https:" || protocol === "http:"
  } catch {
    return false
  }
}

/** Applies defaults and rejects inconsistent metadata. */
export const normalizeClientInput = Effect.fnUntraced(function*(input: ClientInput) {
  const clientId = input.clientId.trim()
  if (clientId === "") return yield* metadataError("client_id is required")
  const secret = input.clientSecret === undefined || input.clientSecret === null || input.clientSecret === "" ? null : input.clientSecret
  // A client with a secret authenticates with HTTP Basic by default (RFC 6749 §2.3.1 "MUST support").
  const method: ClientAuthMethod = input.tokenEndpointAuthMethod ?? (secret === null ? "none" : "client_secret_basic")
  const keys = yield* clientKeyMetadata(input, method, secret)
  if (method === "none" && secret !== null) return yield* metadataError("a public client (auth method none) has no secret")
  // SHA-256 at rest is only safe for high-entropy secrets (client_secret.ts): a short supplied one is refused.
  if (secret !== null && secret.length < MIN_CLIENT_SECRET_LENGTH) {
    return yield* metadataError(`client_secret must be at least ${MIN_CLIENT_SECRET_LENGTH} characters (omit it to have one generated)`)
  }
  // A confidential client registered without a secret gets a generated one (≥ 256 bits), answered once.
  const generated = method !== "none" && method !== "private_key_jwt" && secret === null

  const grantTypes = input.grantTypes ?? DEFAULT_GRANT_TYPES
  const unknownGrant = grantTypes.find((g) => !knownGrantTypes.has(g))
  if (unknownGrant !== undefined) return yield* metadataError(`unsupported grant type ${unknownGrant}`)
  const responseTypes = input.responseTypes ?? DEFAULT_RESPONSE_TYPES
  const unknownResponse = responseTypes.find((r) => !knownResponseTypes.has(r))
  if (unknownResponse !== undefined) return yield* metadataError(`unsupported response type ${unknownResponse}`)

  const postLogoutRedirectUris = input.postLogoutRedirectUris ?? []
  const badUri = [...input.redirectUris, ...postLogoutRedirectUris].find((u) => !isValidRedirectUri(u))
  if (badUri !== undefined) {
    return yield* new OAuthError({ code: "invalid_redirect_uri", description: `not an absolute URI without fragment: ${badUri}` })
  }
  const backchannelLogoutUri = input.backchannelLogoutUri ?? null
  if (backchannelLogoutUri !== null && !isValidBackchannelLogoutUri(backchannelLogoutUri)) {
    return yield* metadataError(`backchannel_logout_uri must be an absolute http(s) URI without fragment: ${backchannelLogoutUri}`)
  }
  const frontchannelLogoutUri = input.frontchannelLogoutUri ?? null
  // Front-Channel Logout 1.0 §2: loaded in an iframe, so https (http only on a loopback host, for local RPs).
  const frontchannelProblem = frontchannelLogoutUri === null ? null : webUriProblem("frontchannel_logout_uri", frontchannelLogoutUri)
  if (frontchannelProblem !== null) return yield* metadataError(frontchannelProblem)
  const requestUris = input.requestUris ?? []
  const requestUriProblem = requestUris.map((uri) => webUriProblem("request_uris", uri.split("#")[0]!)).find((problem) => problem !== null)
  if (requestUriProblem !== undefined && requestUriProblem !== null) return yield* metadataError(requestUriProblem)
  const fapiProfile = input.fapiProfile ?? null
  // FAPI 2.0 Security Profile §5.3.1.2: confidential clients with private_key_jwt (mTLS is not available on Workers).
  if (fapiProfile !== null && method !== "private_key_jwt") {
    return yield* metadataError("a fapi2_security client must authenticate with private_key_jwt")
  }
  const tokenExchangePolicy = input.tokenExchangePolicy ?? null
  const exchangeProblem = tokenExchangePolicy === null ? null : tokenExchangePolicyProblem(tokenExchangePolicy, method)
  if (exchangeProblem !== null) return yield* metadataError(exchangeProblem)
  const resources = input.resources ?? []
  const resourcesProblem = clientResourcesProblem(resources)
  if (resourcesProblem !== null) return yield* metadataError(resourcesProblem)
  const subjectType = input.subjectType ?? "public"
  const sectorIdentifierUri = input.sectorIdentifierUri ?? null
  const subjectProblem = subjectTypeProblem(clientId, subjectType, sectorIdentifierUri, input.redirectUris)
  if (subjectProblem !== null) return yield* metadataError(subjectProblem)
  if (grantTypes.includes("authorization_code") && input.redirectUris.length === 0) {
    return yield* new OAuthError({ code: "invalid_redirect_uri", description: "authorization_code clients need a redirect URI" })
  }

  const metadata: ClientMetadata = {
    clientId,
    clientName: input.clientName ?? clientId,
    clientSecret: generated ? generateClientSecret() : secret,
    clientSecretGenerated: generated,
    redirectUris: input.redirectUris,
    postLogoutRedirectUris,
    grantTypes,
    responseTypes,
    tokenEndpointAuthMethod: method,
    scope: input.scope ?? DEFAULT_SCOPE,
    idTokenSignedResponseAlg: input.idTokenSignedResponseAlg ?? DEFAULT_ID_TOKEN_ALG,
    skipConsent: input.skipConsent ?? false,
    backchannelLogoutUri,
    backchannelLogoutSessionRequired: input.backchannelLogoutSessionRequired ?? false,
    frontchannelLogoutUri,
    frontchannelLogoutSessionRequired: input.frontchannelLogoutSessionRequired ?? false,
    requestUris,
    fapiProfile,
    tokenExchangePolicy,
    resources,
    subjectType,
    sectorIdentifierUri,
    requirePushedAuthorizationRequests: input.requirePushedAuthorizationRequests ?? false,
    onlineRefreshTokens: input.onlineRefreshTokens ?? false,
    ...keys
  }
  return metadata
})
