/**
 * One `identity_providers` row and its `config_json` (snake_case, as an
 * operator writes it). The client secret is kept in `config_json` because it
 * must be presented to the upstream (it cannot be hashed); it never leaves the
 * identity service — no RPC returns it (see storage-schema.md).
 */
import { OAuthError, type IdentityProviderInput, type UpstreamProviderSummary, type UpstreamProviderType } from "@authrim/contracts"
import { Effect, Schema } from "effect"

/** `config_json` as stored. */
export const StoredProviderConfig = Schema.Struct({
  issuer: Schema.optional(Schema.String),
  client_id: Schema.String,
  client_secret: Schema.optional(Schema.NullOr(Schema.String)),
  scopes: Schema.optional(Schema.Array(Schema.String)),
  token_endpoint_auth_method: Schema.optional(Schema.Literals(["client_secret_basic", "client_secret_post"])),
  authorization_endpoint: Schema.optional(Schema.String),
  token_endpoint: Schema.optional(Schema.String),
  userinfo_endpoint: Schema.optional(Schema.String),
  claims: Schema.optional(Schema.Struct({
    sub: Schema.optional(Schema.String),
    email: Schema.optional(Schema.String),
    email_verified: Schema.optional(Schema.String),
    name: Schema.optional(Schema.String)
  }))
})
/** Type of {@link StoredProviderConfig}. */
export type StoredProviderConfig = typeof StoredProviderConfig.Type

/** A provider as the programs use it. */
export interface IdentityProviderRecord {
  readonly id: string
  readonly providerType: UpstreamProviderType
  readonly name: string
  readonly enabled: boolean
  readonly config: StoredProviderConfig
}

/** The D1 row. */
export interface IdentityProviderRow {
  readonly id: string
  readonly provider_type: string
  readonly name: string
  readonly config_json: string
  readonly enabled: number
}

const decodeConfig = Schema.decodeUnknownSync(Schema.fromJsonString(StoredProviderConfig))

/** A row → record; a row that does not decode (hand-edited, wrong type) is a defect of configuration, reported as `null`. */
export const recordFromRow = (row: IdentityProviderRow): IdentityProviderRecord | null => {
  if (row.provider_type !== "oidc" && row.provider_type !== "oauth2") return null
  try {
    return { id: row.id, providerType: row.provider_type, name: row.name, enabled: row.enabled === 1, config: decodeConfig(row.config_json) }
  } catch {
    return null
  }
}

/** The public view of a provider (no secret). */
export const summaryOf = (record: IdentityProviderRecord): UpstreamProviderSummary => ({
  id: record.id,
  name: record.name,
  providerType: record.providerType,
  enabled: record.enabled
})

const httpUrl = (value: string | undefined) => {
  if (value === undefined) return false
  try {
    const url = new URL(value)
    return url.protocol === "https:" || url.protocol === "http:"
  } catch {
    return false
  }
}

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description })

/** Checks an admin input and maps it onto the stored config; an incomplete provider is `invalid_request`. */
export const configFromInput = Effect.fnUntraced(function*(input: IdentityProviderInput): Effect.fn.Return<StoredProviderConfig, OAuthError> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(input.id)) return yield* invalid("provider id must be 1-64 of A-Z a-z 0-9 _ -")
  if (input.providerType === "oidc" && !httpUrl(input.issuer)) return yield* invalid("an oidc provider needs an issuer URL")
  if (input.providerType === "oauth2") {
    for (const [name, value] of [["authorizationEndpoint", input.authorizationEndpoint], ["tokenEndpoint", input.tokenEndpoint], ["userinfoEndpoint", input.userinfoEndpoint]] as const) {
      if (!httpUrl(value)) return yield* invalid(`an oauth2 provider needs ${name}`)
    }
  }
  return {
    issuer: input.issuer?.replace(/\/+$/, ""),
    client_id: input.clientId,
    client_secret: input.clientSecret ?? null,
    scopes: input.scopes,
    token_endpoint_auth_method: input.tokenEndpointAuthMethod,
    authorization_endpoint: input.authorizationEndpoint,
    token_endpoint: input.tokenEndpoint,
    userinfo_endpoint: input.userinfoEndpoint,
    claims: input.claims === undefined ? undefined : {
      sub: input.claims.sub,
      email: input.claims.email,
      email_verified: input.claims.emailVerified,
      name: input.claims.name
    }
  }
})
