/**
 * What an initial access token's policy allows (contracts `RegistrationPolicy`):
 * the registered scope, grant types and auth method must stay within it, at
 * registration and at every RFC 7592 update. A policy scope is also the
 * default scope of a client that names none. Refusals are
 * `invalid_client_metadata` naming what is not allowed.
 */
import { OAuthError, type RegistrationPolicy } from "@authrim/contracts"
import { Effect } from "effect"
import type { ClientMetadata } from "./client_metadata.ts"

const notAllowed = (description: string) => new OAuthError({ code: "invalid_client_metadata", description })

/** The scope to register when the request names none: the policy's, else the service default (undefined). */
export const defaultScopeOf = (policy: RegistrationPolicy): string | undefined => policy.scope

/** Fails unless `metadata` is within `policy`. */
export const checkRegistrationPolicy = Effect.fnUntraced(function*(policy: RegistrationPolicy, metadata: ClientMetadata) {
  if (policy.scope !== undefined) {
    const allowed = new Set(policy.scope.split(" ").filter((s) => s !== ""))
    const extra = metadata.scope.split(" ").filter((s) => s !== "" && !allowed.has(s))
    if (extra.length > 0) return yield* notAllowed(`scope not allowed for this registration: ${extra.join(" ")}`)
  }
  if (policy.grantTypes !== undefined) {
    const allowed = new Set(policy.grantTypes)
    const extra = metadata.grantTypes.filter((g) => !allowed.has(g))
    if (extra.length > 0) return yield* notAllowed(`grant_types not allowed for this registration: ${extra.join(" ")}`)
  }
  if (policy.tokenEndpointAuthMethods !== undefined && !policy.tokenEndpointAuthMethods.includes(metadata.tokenEndpointAuthMethod)) {
    return yield* notAllowed(`token_endpoint_auth_method not allowed for this registration: ${metadata.tokenEndpointAuthMethod}`)
  }
})
