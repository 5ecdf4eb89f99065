/**
 * RFC 7591 §2 client metadata (snake_case JSON, as a client sends it) → the
 * `ClientInput` every client write validates, plus the members Authrim keeps
 * but does not model in `oauth_clients`. Checked as strictly as an operator
 * would check a client, then by `normalizeClientInput` (client_metadata.ts)
 * like every client: a self-registered client is trusted by nobody.
 *
 * Defaults are RFC 7591's, not the seed's: `grant_types` ["authorization_code"],
 * `response_types` ["code"], `token_endpoint_auth_method` client_secret_basic,
 * `application_type` web. Unknown members are ignored (§2), as are `client_id`
 * and `client_secret` (issued by the server, never chosen by the client).
 * A registered client never skips consent and never gets Authrim's
 * `online_refresh_tokens` (operator-only settings).
 */
import { ClientAuthMethod, OAuthError, SigningAlg, type ClientInput, type ClientJwks } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { redirectUriProblem, webUriProblem, type ApplicationType } from "./redirect_uri_policy.ts"

/** Members Authrim stores as given (client_registrations.extra_metadata) and answers back. */
export interface ExtraMetadata {
  readonly application_type: ApplicationType
  readonly client_uri?: string
  readonly logo_uri?: string
  readonly policy_uri?: string
  readonly tos_uri?: string
  readonly contacts?: ReadonlyArray<string>
  readonly software_id?: string
  readonly software_version?: string
}

/** What a registration request asks for. */
export interface RegistrationRequest {
  readonly input: Omit<ClientInput, "clientId">
  readonly extra: ExtraMetadata
}

const MAX_URIS = 20
const MAX_URI_LENGTH = 2000
const MAX_TEXT = 200
const MAX_CONTACTS = 10

const metadataError = (description: string) => new OAuthError({ code: "invalid_client_metadata", description })
const redirectError = (description: string) => new OAuthError({ code: "invalid_redirect_uri", description })

/** RFC 6749 §3.3 scope-token characters. */
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/
const supportedGrants = new Set(["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"])
const isAuthMethod = Schema.is(ClientAuthMethod)
const isSigningAlg = Schema.is(SigningAlg)

const optionalText = Effect.fnUntraced(function*(body: Record<string, unknown>, name: string) {
  const value = body[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== "string" || value.length > MAX_TEXT) return yield* metadataError(`${name} must be a string of at most ${MAX_TEXT} characters`)
  return value
})

const stringList = Effect.fnUntraced(function*(body: Record<string, unknown>, name: string, fail: (d: string) => OAuthError, max = MAX_URIS) {
  const value = body[name]
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || value.length > max || !value.every((v): v is string => typeof v === "string" && v.length > 0 && v.length <= MAX_URI_LENGTH)) {
    return yield* fail(`${name} must be an array of at most ${max} non-empty strings`)
  }
  return value
})

const optionalWebUri = Effect.fnUntraced(function*(body: Record<string, unknown>, name: string) {
  const value = body[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== "string" || value.length > MAX_URI_LENGTH) return yield* metadataError(`${name} must be a URL`)
  const problem = webUriProblem(name, value)
  return problem === null ? value : yield* metadataError(problem)
})

const optionalBoolean = Effect.fnUntraced(function*(body: Record<string, unknown>, name: string) {
  const value = body[name]
  if (value === undefined || value === null) return undefined
  return typeof value === "boolean" ? value : yield* metadataError(`${name} must be a boolean`)
})

const checkRedirectUris = Effect.fnUntraced(function*(name: string, uris: ReadonlyArray<string>, type: ApplicationType) {
  for (const uri of uris) {
    const problem = redirectUriProblem(uri, type)
    if (problem !== null) return yield* redirectError(name === "redirect_uris" ? problem : `${name}: ${problem}`)
  }
})

/** Grant and response types that belong together (RFC 7591 §2.1) and that Authrim implements. */
const checkGrantConsistency = Effect.fnUntraced(function*(grants: ReadonlyArray<string>, responses: ReadonlyArray<string>, method: ClientAuthMethod) {
  const unsupportedGrant = grants.find((g) => !supportedGrants.has(g))
  if (unsupportedGrant !== undefined) return yield* metadataError(`unsupported grant type ${unsupportedGrant}`)
  const unsupportedResponse = responses.find((r) => r !== "code")
  if (unsupportedResponse !== undefined) return yield* metadataError(`unsupported response type ${unsupportedResponse} (only code)`)
  if (grants.length === 0) return yield* metadataError("grant_types must not be empty")
  if (responses.includes("code") !== grants.includes("authorization_code")) {
    return yield* metadataError("response_types code and grant_types authorization_code go together (RFC 7591 §2.1)")
  }
  if (grants.includes("refresh_token") && !grants.includes("authorization_code") && !grants.includes("urn:ietf:params:oauth:grant-type:device_code")) {
    return yield* metadataError("refresh_token needs a grant that issues refresh tokens (authorization_code or device_code)")
  }
  if (grants.includes("client_credentials") && method === "none") return yield* metadataError("client_credentials needs an authenticated client (not none)")
})

const scopeOf = Effect.fnUntraced(function*(body: Record<string, unknown>) {
  const value = body["scope"]
  if (value === undefined || value === null) return undefined
  if (typeof value !== "string" || value.length > 1000) return yield* metadataError("scope must be a space-separated string")
  const tokens = value.split(" ").filter((s) => s !== "")
  if (tokens.length === 0 || !tokens.every((t) => scopeToken.test(t))) return yield* metadataError("scope must be space-separated scope tokens")
  return tokens.join(" ")
})

/** Reads and checks one registration request body (a JSON object). */
export const readRegistrationMetadata = Effect.fnUntraced(function*(body: Record<string, unknown>) {
  const appType = body["application_type"] ?? "web"
  if (appType !== "web" && appType !== "native") return yield* metadataError("application_type must be web or native")
  const applicationType: ApplicationType = appType

  const rawMethod = body["token_endpoint_auth_method"] ?? "client_secret_basic"
  if (typeof rawMethod !== "string" || !isAuthMethod(rawMethod)) {
    return yield* metadataError(`unsupported token_endpoint_auth_method (supported: client_secret_basic, client_secret_post, private_key_jwt, none)`)
  }
  const method: ClientAuthMethod = rawMethod
  const grantTypes = (yield* stringList(body, "grant_types", metadataError)) ?? ["authorization_code"]
  const responseTypes = (yield* stringList(body, "response_types", metadataError)) ?? ["code"]
  yield* checkGrantConsistency(grantTypes, responseTypes, method)

  const redirectUris = (yield* stringList(body, "redirect_uris", redirectError)) ?? []
  yield* checkRedirectUris("redirect_uris", redirectUris, applicationType)
  if (grantTypes.includes("authorization_code") && redirectUris.length === 0) return yield* redirectError("redirect_uris is required for authorization_code")
  const postLogoutRedirectUris = (yield* stringList(body, "post_logout_redirect_uris", redirectError)) ?? []
  const requestUris = (yield* stringList(body, "request_uris", metadataError)) ?? []
  yield* checkRedirectUris("post_logout_redirect_uris", postLogoutRedirectUris, applicationType)

  const alg = body["id_token_signed_response_alg"]
  if (alg !== undefined && alg !== null && (typeof alg !== "string" || !isSigningAlg(alg))) {
    return yield* metadataError("unsupported id_token_signed_response_alg (supported: RS256, ES256)")
  }
  const jwks = body["jwks"]
  const jwkList: unknown = typeof jwks === "object" && jwks !== null ? (jwks as { keys?: unknown }).keys : undefined
  if (jwks !== undefined && jwks !== null && (!Array.isArray(jwkList) || !jwkList.every((k) => typeof k === "object" && k !== null && !Array.isArray(k)))) {
    return yield* metadataError("jwks must be a JWK Set ({\"keys\": [...]})")
  }
  const jwksUri = body["jwks_uri"]
  if (jwksUri !== undefined && jwksUri !== null && typeof jwksUri !== "string") return yield* metadataError("jwks_uri must be a URL")
  const subjectType = body["subject_type"] ?? "public"
  if (subjectType !== "public" && subjectType !== "pairwise") return yield* metadataError("subject_type must be public or pairwise")
  const sectorIdentifierUri = yield* optionalWebUri(body, "sector_identifier_uri")
  const backchannelLogoutUri = yield* optionalWebUri(body, "backchannel_logout_uri")
  const frontchannelLogoutUri = yield* optionalWebUri(body, "frontchannel_logout_uri")

  const contacts = yield* stringList(body, "contacts", metadataError, MAX_CONTACTS)
  const extra: ExtraMetadata = {
    application_type: applicationType,
    client_uri: yield* optionalWebUri(body, "client_uri"),
    logo_uri: yield* optionalWebUri(body, "logo_uri"),
    policy_uri: yield* optionalWebUri(body, "policy_uri"),
    tos_uri: yield* optionalWebUri(body, "tos_uri"),
    contacts,
    software_id: yield* optionalText(body, "software_id"),
    software_version: yield* optionalText(body, "software_version")
  }
  const input: Omit<ClientInput, "clientId"> = {
    clientName: yield* optionalText(body, "client_name"),
    clientSecret: null,
    redirectUris,
    postLogoutRedirectUris,
    grantTypes,
    responseTypes,
    tokenEndpointAuthMethod: method,
    scope: yield* scopeOf(body),
    idTokenSignedResponseAlg: typeof alg === "string" && isSigningAlg(alg) ? alg : undefined,
    skipConsent: false,
    backchannelLogoutUri: backchannelLogoutUri ?? null,
    backchannelLogoutSessionRequired: yield* optionalBoolean(body, "backchannel_logout_session_required"),
    frontchannelLogoutUri: frontchannelLogoutUri ?? null,
    frontchannelLogoutSessionRequired: yield* optionalBoolean(body, "frontchannel_logout_session_required"),
    requestUris,
    jwks: jwks === undefined || jwks === null ? null : (jwks as ClientJwks),
    jwksUri: typeof jwksUri === "string" ? jwksUri : null,
    requirePushedAuthorizationRequests: yield* optionalBoolean(body, "require_pushed_authorization_requests"),
    onlineRefreshTokens: false,
    // OIDC Registration §2; the edge fetched and checked the sector document before this call.
    subjectType,
    sectorIdentifierUri: sectorIdentifierUri ?? null
  }
  const request: RegistrationRequest = { input, extra }
  return request
})

/** The extra members without the absent ones (as stored and answered). */
export const definedExtra = (extra: ExtraMetadata): Record<string, unknown> =>
  Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined))
